import { SQS_MAX_VISIBILITY_TIMEOUT_SECONDS, SQS_MAX_WAIT_TIME_SECONDS } from '../sqs-limits.js';
import type { OptionRange } from '../validate.js';

/**
 * Every numeric consumer option's default and range, defined once. `resolveConsumerOptions` and `RetryPolicy` apply
 * them, service-kit's environment schema derives its `SQS_*` variables from them, and `consumer-defaults.spec.ts`
 * checks the README's options table against them.
 */
export const CONSUMER_OPTION_RANGES = {
  /** `queues[n].pollers`: long-poll loops per queue. */
  pollers: { default: 2, min: 1, max: 50 },
  /** `queues[n].waitTimeSeconds`: long-poll wait of each receive. */
  waitTimeSeconds: { default: SQS_MAX_WAIT_TIME_SECONDS, min: 0, max: SQS_MAX_WAIT_TIME_SECONDS },
  /** `queues[n].visibilityTimeoutSeconds`: no default (the queue's own). */
  visibilityTimeoutSeconds: { min: 1, max: SQS_MAX_VISIBILITY_TIMEOUT_SECONDS },
  /** Handlers running at once, all queues together. */
  concurrency: { default: 50, min: 1, max: 10_000 },
  /** Messages held beyond `concurrency`. */
  prefetch: { default: 10, min: 0, max: 10_000 },
  /** `heartbeatIntervalMs`: no default (a third of the smallest visibility timeout, at most 30 s). */
  heartbeatIntervalMs: { min: 10, max: (SQS_MAX_VISIBILITY_TIMEOUT_SECONDS * 1000) / 2 },
  /** Time since receive after which a message is no longer extended and its signal fires. */
  maxProcessingMs: { default: 3_600_000, min: 1_000, max: SQS_MAX_VISIBILITY_TIMEOUT_SECONDS * 1000 },
  shutdownTimeoutMs: { default: 30_000, min: 0, max: 3_600_000 },
  ackFlushIntervalMs: { default: 0, min: 0, max: 1_000 },
  ackMaxAttempts: { default: 5, min: 1, max: 20 },
  /** `retry.baseDelaySeconds`: first retry delay of a failed message. */
  retryBaseDelaySeconds: { default: 1, min: 0, max: SQS_MAX_VISIBILITY_TIMEOUT_SECONDS },
  /** `retry.maxDelaySeconds`: longest retry delay. */
  retryMaxDelaySeconds: { default: 300, min: 0, max: SQS_MAX_VISIBILITY_TIMEOUT_SECONDS },
  /** `retry.jitter`: the share of each delay that is random. */
  retryJitter: { default: 0.5, min: 0, max: 1 },
} as const satisfies Record<string, OptionRange>;
