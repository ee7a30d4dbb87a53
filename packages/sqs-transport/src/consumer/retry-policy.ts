import type { RandomSource } from '../clock.js';
import { InvalidOptionError, isRetryable } from '../errors.js';
import { numberOption } from '../validate.js';

/** SQS's maximum visibility timeout: 12 hours. */
export const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;

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

  constructor(
    options: RetryPolicyOptions = {},
    private readonly random: RandomSource = Math.random,
  ) {
    this.baseDelaySeconds = numberOption(
      'retry.baseDelaySeconds',
      options.baseDelaySeconds,
      1,
      0,
      MAX_VISIBILITY_TIMEOUT_SECONDS,
    );
    this.maxDelaySeconds = numberOption(
      'retry.maxDelaySeconds',
      options.maxDelaySeconds,
      300,
      0,
      MAX_VISIBILITY_TIMEOUT_SECONDS,
    );
    this.jitter = numberOption('retry.jitter', options.jitter, 0.5, 0, 1);
    if (this.maxDelaySeconds < this.baseDelaySeconds) {
      throw new InvalidOptionError(
        'retry.maxDelaySeconds',
        `must be at least retry.baseDelaySeconds (${this.baseDelaySeconds})`,
        this.maxDelaySeconds,
      );
    }
  }

  /** Whether a failure should go to the DLQ at once instead of being retried. */
  isNonRetryable(error: unknown): boolean {
    return !isRetryable(error);
  }

  /**
   * Visibility timeout (whole seconds) to apply after the `receiveCount`-th
   * delivery failed: base * 2^(receiveCount-1), capped, with its jittered share
   * drawn uniformly from [0, share].
   */
  delaySeconds(receiveCount: number): number {
    const attempt = Math.max(1, Math.floor(receiveCount));
    const exponential = Math.min(this.maxDelaySeconds, this.baseDelaySeconds * 2 ** Math.min(attempt - 1, 30));
    const fixed = exponential * (1 - this.jitter);
    const jittered = exponential * this.jitter * this.random();
    return Math.min(MAX_VISIBILITY_TIMEOUT_SECONDS, Math.round(fixed + jittered));
  }
}
