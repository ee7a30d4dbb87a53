import { SQS_MAX_VISIBILITY_TIMEOUT_MS } from '../sqs-limits.js';
import type { OptionRange } from '../validate.js';

/**
 * Every numeric outbox relay option's default and range, defined once (all durations in ms). `OutboxRelay` applies
 * them, service-kit's `OUTBOX_*` variables derive from them, and `relay-defaults.spec.ts` checks docs/outbox.md's
 * options table against them.
 */
export const RELAY_OPTION_RANGES = {
  /** Rows claimed per pass. */
  batchSize: { default: 100, min: 1, max: 1_000 },
  /** Consecutive rows of one FIFO group claimed per pass and sent in order (at most `batchSize`). */
  maxPerGroup: { default: 100, min: 1, max: 1_000 },
  /** How long a claim holds before another relay may take the row. */
  leaseMs: { default: 30_000, min: 1_000, max: SQS_MAX_VISIBILITY_TIMEOUT_MS },
  /** Longest wait between passes when idle (a NOTIFY wakes the relay sooner). */
  idleWaitMs: { default: 1_000, min: 10, max: 60_000 },
  /** First retry delay of a failed row; doubles per attempt, with jitter. */
  retryBaseDelayMs: { default: 1_000, min: 0, max: 3_600_000 },
  /** Longest retry delay of a failed row. */
  retryMaxDelayMs: { default: 300_000, min: 0, max: 86_400_000 },
  /** Attempts before a row is parked. */
  maxAttempts: { default: 10, min: 1, max: 1_000 },
  /** Sent rows are deleted after this long (1 day). */
  sentRetentionMs: { default: 86_400_000, min: 0, max: 2_592_000_000 },
  /** How often sent rows are cleaned up. */
  cleanupIntervalMs: { default: 60_000, min: 1_000, max: 86_400_000 },
} as const satisfies Record<string, OptionRange>;
