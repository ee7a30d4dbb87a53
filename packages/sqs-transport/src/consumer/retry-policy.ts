import { Backoff } from '../backoff.js';
import type { RandomSource } from '../clock.js';
import { InvalidOptionError, isRetryable } from '../errors.js';
import { SQS_MAX_VISIBILITY_TIMEOUT_SECONDS } from '../sqs-limits.js';
import { numberIn } from '../validate.js';
import { CONSUMER_OPTION_RANGES } from './consumer-defaults.js';

export interface RetryPolicyOptions {
  /** Delay before the second delivery, in seconds. Default 1. Range 0 to 43,200. */
  baseDelaySeconds?: number;
  /** Upper bound of any delay, in seconds. Default 300. Range 0 to 43,200 (SQS's limit). */
  maxDelaySeconds?: number;
  /**
   * Share of each delay that is randomised, so that messages failing together
   * do not come back together. 0 = none, 1 = "full jitter". Default 0.5. Range 0 to 1.
   */
  jitter?: number;
}

/**
 * Decides what happens to a failed message: retried after an exponential
 * backoff with jitter (from its `ApproximateReceiveCount`), or moved to the DLQ
 * at once when the failure is non-retryable.
 */
export class RetryPolicy {
  readonly baseDelaySeconds: number;
  readonly maxDelaySeconds: number;
  readonly jitter: number;
  private readonly backoff: Backoff;

  /** `option` names the options in validation errors, e.g. `retry` or `outageRetry`. */
  constructor(options: RetryPolicyOptions = {}, random: RandomSource = Math.random, option = 'retry') {
    const { retryBaseDelaySeconds: base, retryMaxDelaySeconds: max, retryJitter: jitter } = CONSUMER_OPTION_RANGES;
    this.baseDelaySeconds = numberIn(`${option}.baseDelaySeconds`, options.baseDelaySeconds, base);
    this.maxDelaySeconds = numberIn(`${option}.maxDelaySeconds`, options.maxDelaySeconds, max);
    this.jitter = numberIn(`${option}.jitter`, options.jitter, jitter);
    if (this.maxDelaySeconds < this.baseDelaySeconds) {
      throw new InvalidOptionError(
        `${option}.maxDelaySeconds`,
        `must be at least ${option}.baseDelaySeconds (${this.baseDelaySeconds})`,
        this.maxDelaySeconds,
      );
    }
    this.backoff = new Backoff(
      { baseMs: this.baseDelaySeconds * 1_000, maxMs: this.maxDelaySeconds * 1_000, jitter: this.jitter },
      { random },
    );
  }

  /** Whether a failure should go to the DLQ at once instead of being retried. */
  isNonRetryable(error: unknown): boolean {
    return !isRetryable(error);
  }

  /**
   * Visibility timeout (whole seconds) to apply after the `receiveCount`-th
   * delivery failed: {@link delayMs} rounded to seconds, at most SQS's 12 hours.
   */
  delaySeconds(receiveCount: number): number {
    return Math.min(SQS_MAX_VISIBILITY_TIMEOUT_SECONDS, Math.round(this.delayMs(receiveCount) / 1000));
  }

  /**
   * The backoff after the `attempt`-th failure, in whole ms: base * 2^(attempt-1), capped by `maxDelaySeconds`, with
   * its `jitter` share drawn at random (see {@link Backoff}). Also paces the in-process retries through a dependency
   * outage.
   */
  delayMs(attempt: number): number {
    return this.backoff.delayMs(attempt);
  }
}
