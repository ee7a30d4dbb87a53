import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Clock, RandomSource } from '../clock.js';
import { systemClock } from '../clock.js';
import { InvalidOptionError } from '../errors.js';
import type { SqsConnectionOptions } from '../sqs-client.js';
import { functionOption, integerIn, numberIn, optionalNumberIn, stringOption, urlOption } from '../validate.js';
import type { RetryPolicyOptions } from './retry-policy.js';
import { CONSUMER_OPTION_RANGES } from './consumer-defaults.js';

/** One queue to consume. Give `url` or `name`. */
export interface SqsQueueOptions {
  /** The queue URL. */
  url?: string;
  /** The queue name, resolved to a URL with `GetQueueUrl` at start. */
  name?: string;
  /** Long-poll loops for this queue. Default 2. Range 1 to 50. */
  pollers?: number;
  /** `WaitTimeSeconds` of each receive. Default 20. Range 0 to 20. */
  waitTimeSeconds?: number;
  /**
   * Visibility timeout requested on every receive and re-applied by the
   * heartbeat, in seconds. Default: the queue's own `VisibilityTimeout`.
   * Range 1 to 43,200.
   */
  visibilityTimeoutSeconds?: number;
  /** Where non-retryable failures go. Default: the DLQ of the queue's redrive policy. */
  deadLetterQueueUrl?: string;
}

/** Options of the consumer core; the Nest server takes the same. */
export interface SqsConsumerOptions extends SqsConnectionOptions {
  /** The queues to consume (at least one). */
  queues: SqsQueueOptions[];
  /** A ready SQS client. Default: one built from `endpoint` and `region` (see {@link SqsConnectionOptions}). */
  client?: SQSClient;
  /** Handlers running at once, across all queues. Default 50. Range 1 to 10,000. */
  concurrency?: number;
  /**
   * Messages held beyond `concurrency`, waiting for a handler slot or behind
   * their FIFO group (kept invisible by the heartbeat, returned at shutdown).
   * Default 10. Range 0 to 10,000.
   */
  prefetch?: number;
  /**
   * How often the heartbeat extends messages near expiry, in ms (a timer of ours, so milliseconds; the values it
   * sends to SQS are seconds). Default: a third of the smallest visibility timeout, at most 30,000. Range 10 to
   * 21,600,000, and under half the smallest visibility timeout.
   */
  heartbeatIntervalMs?: number;
  /**
   * How long one message may be held before the heartbeat stops extending it and
   * its AbortSignal fires, in ms, counted from the receive. Default 3,600,000 (1 hour). Range 1,000 to 43,200,000
   * (SQS's 12 hours).
   */
  maxProcessingMs?: number;
  /** Backoff of retried messages. Defaults: base 1 s, max 300 s, jitter 0.5. */
  retry?: RetryPolicyOptions;
  /**
   * Says whether a handler's failure means a dependency (its database, typically) is unavailable, rather than
   * anything being wrong with the message. Such a message is not returned to the queue, where every receive counts
   * toward its DLQ: it stays held and invisible, polling pauses, and it runs again in process with `outageRetry`
   * backoff; polling resumes once it succeeds. A `DependencyUnavailableError` always counts. Keep it narrow: an error
   * that this message will always cause would hold it (and pause the consumer) until `maxProcessingMs`.
   * Default: only `DependencyUnavailableError`.
   */
  isDependencyOutage?: (error: Error) => boolean;
  /** Backoff of the in-process retries through a dependency outage. Defaults: base 1 s, max 30 s, jitter 0.5. */
  outageRetry?: RetryPolicyOptions;
  /** How long `close()` waits for running handlers before aborting them, in ms. Default 30,000. Range 0 to 3,600,000. */
  shutdownTimeoutMs?: number;
  /**
   * How long a delete may wait for others to fill its batch of 10, in ms.
   * Default 0: deletes of messages that finish in the same turn of the event
   * loop share a batch, and nothing waits longer. Range 0 to 1,000.
   */
  ackFlushIntervalMs?: number;
  /** Attempts per delete before giving up (the message is then redelivered). Default 5. Range 1 to 20. */
  ackMaxAttempts?: number;
  /** Time source. Default: the system clock. */
  clock?: Clock;
  /** Random source for jitter. Default: `Math.random`. */
  random?: RandomSource;
}

/** Options after validation, with every default applied (queues not yet resolved). */
export interface ResolvedConsumerOptions {
  queues: Array<Required<Pick<SqsQueueOptions, 'pollers' | 'waitTimeSeconds'>> & SqsQueueOptions>;
  concurrency: number;
  prefetch: number;
  heartbeatIntervalMs: number | undefined;
  maxProcessingMs: number;
  retry: RetryPolicyOptions;
  isDependencyOutage: (error: Error) => boolean;
  outageRetry: RetryPolicyOptions;
  shutdownTimeoutMs: number;
  ackFlushIntervalMs: number;
  ackMaxAttempts: number;
  clock: Clock;
  random: RandomSource;
}

/** The default backoff of in-process retries through a dependency outage. */
export const DEFAULT_OUTAGE_RETRY: Readonly<Required<RetryPolicyOptions>> = {
  baseDelaySeconds: 1,
  maxDelaySeconds: 30,
  jitter: 0.5,
};

const noOutage = (): boolean => false;

/** Options that were renamed when every timer of ours moved to milliseconds, and what replaced them. */
const RENAMED_OPTIONS: Readonly<Record<string, string>> = {
  heartbeatIntervalSeconds: 'heartbeatIntervalMs (milliseconds: multiply by 1000)',
  maxProcessingSeconds: 'maxProcessingMs (milliseconds: multiply by 1000)',
};

/** Validates consumer options when the consumer is built; throws {@link InvalidOptionError} naming the option. */
export function resolveConsumerOptions(options: SqsConsumerOptions): ResolvedConsumerOptions {
  for (const [old, replacement] of Object.entries(RENAMED_OPTIONS)) {
    if (old in options) {
      throw new InvalidOptionError(
        old,
        `was renamed; use ${replacement}`,
        (options as unknown as Record<string, unknown>)[old],
      );
    }
  }
  if (!Array.isArray(options.queues) || options.queues.length === 0) {
    throw new InvalidOptionError('queues', 'must list at least one queue ({ url } or { name })', options.queues);
  }
  const queues = options.queues.map((queue, index) => {
    const at = `queues[${index}]`;
    if (typeof queue !== 'object' || queue === null) {
      throw new InvalidOptionError(at, 'must be an object ({ url } or { name })', queue);
    }
    if ((queue.url === undefined) === (queue.name === undefined)) {
      throw new InvalidOptionError(at, 'must have exactly one of "url" and "name"', queue);
    }
    if (queue.url !== undefined) urlOption(`${at}.url`, queue.url);
    if (queue.name !== undefined) stringOption(`${at}.name`, queue.name);
    if (queue.deadLetterQueueUrl !== undefined) urlOption(`${at}.deadLetterQueueUrl`, queue.deadLetterQueueUrl);
    return {
      ...queue,
      pollers: integerIn(`${at}.pollers`, queue.pollers, CONSUMER_OPTION_RANGES.pollers),
      waitTimeSeconds: integerIn(
        `${at}.waitTimeSeconds`,
        queue.waitTimeSeconds,
        CONSUMER_OPTION_RANGES.waitTimeSeconds,
      ),
      visibilityTimeoutSeconds: optionalNumberIn(
        `${at}.visibilityTimeoutSeconds`,
        queue.visibilityTimeoutSeconds,
        CONSUMER_OPTION_RANGES.visibilityTimeoutSeconds,
        true,
      ),
    };
  });
  return {
    queues,
    concurrency: integerIn('concurrency', options.concurrency, CONSUMER_OPTION_RANGES.concurrency),
    prefetch: integerIn('prefetch', options.prefetch, CONSUMER_OPTION_RANGES.prefetch),
    heartbeatIntervalMs: optionalNumberIn(
      'heartbeatIntervalMs',
      options.heartbeatIntervalMs,
      CONSUMER_OPTION_RANGES.heartbeatIntervalMs,
      true,
    ),
    maxProcessingMs: numberIn('maxProcessingMs', options.maxProcessingMs, CONSUMER_OPTION_RANGES.maxProcessingMs),
    retry: options.retry ?? {},
    isDependencyOutage: functionOption('isDependencyOutage', options.isDependencyOutage, noOutage),
    outageRetry: { ...DEFAULT_OUTAGE_RETRY, ...options.outageRetry },
    shutdownTimeoutMs: integerIn(
      'shutdownTimeoutMs',
      options.shutdownTimeoutMs,
      CONSUMER_OPTION_RANGES.shutdownTimeoutMs,
    ),
    ackFlushIntervalMs: integerIn(
      'ackFlushIntervalMs',
      options.ackFlushIntervalMs,
      CONSUMER_OPTION_RANGES.ackFlushIntervalMs,
    ),
    ackMaxAttempts: integerIn('ackMaxAttempts', options.ackMaxAttempts, CONSUMER_OPTION_RANGES.ackMaxAttempts),
    clock: options.clock ?? systemClock,
    random: functionOption('random', options.random, Math.random),
  };
}

/** The default heartbeat never ticks less often than this, so max processing time is enforced promptly. */
const DEFAULT_MAX_HEARTBEAT_MS = 30_000;

/**
 * The heartbeat interval in ms: as configured, or a third of the smallest
 * visibility timeout (at most 30 s). Throws when it would not leave two ticks
 * before expiry.
 */
export function heartbeatIntervalMs(configuredMs: number | undefined, smallestVisibilitySeconds: number): number {
  if (configuredMs === undefined) {
    return Math.max(10, Math.min(DEFAULT_MAX_HEARTBEAT_MS, Math.floor((smallestVisibilitySeconds * 1000) / 3)));
  }
  if (configuredMs * 2 >= smallestVisibilitySeconds * 1000) {
    throw new InvalidOptionError(
      'heartbeatIntervalMs',
      `must be less than half the smallest visibility timeout (${smallestVisibilitySeconds} s), so every message is extended before it expires`,
      configuredMs,
    );
  }
  return configuredMs;
}
