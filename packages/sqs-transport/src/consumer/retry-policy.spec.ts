import { describe, expect, it } from '@jest/globals';
import { LeaseLostError, NonRetryableError, UnknownEventTypeError } from '../errors.js';
import { RetryPolicy } from './retry-policy.js';

describe('RetryPolicy', () => {
  it('doubles the delay per delivery, capped by maxDelaySeconds', () => {
    const policy = new RetryPolicy({ baseDelaySeconds: 2, maxDelaySeconds: 20, jitter: 0 });
    expect([1, 2, 3, 4, 5, 6].map((n) => policy.delaySeconds(n))).toEqual([2, 4, 8, 16, 20, 20]);
  });

  it('applies jitter from the injected random source', () => {
    const low = new RetryPolicy({ baseDelaySeconds: 10, maxDelaySeconds: 100, jitter: 0.5 }, () => 0);
    const high = new RetryPolicy({ baseDelaySeconds: 10, maxDelaySeconds: 100, jitter: 0.5 }, () => 0.999);
    expect(low.delaySeconds(2)).toBe(10);
    expect(high.delaySeconds(2)).toBe(20);
  });

  it('gives the same backoff in ms, unrounded, for in-process retries', () => {
    const policy = new RetryPolicy({ baseDelaySeconds: 0.2, maxDelaySeconds: 1, jitter: 0.5 }, () => 0.5);
    expect([1, 2, 3, 4].map((n) => policy.delayMs(n))).toEqual([150, 300, 600, 750]);
    expect(policy.delaySeconds(1)).toBe(0);
  });

  it("never exceeds SQS's 12-hour limit, even for huge receive counts", () => {
    const policy = new RetryPolicy({ baseDelaySeconds: 43_200, maxDelaySeconds: 43_200, jitter: 0 });
    expect(policy.delaySeconds(10_000)).toBe(43_200);
  });

  it('treats transport errors that cannot succeed later as non-retryable', () => {
    const policy = new RetryPolicy();
    expect(policy.isNonRetryable(new NonRetryableError('bad'))).toBe(true);
    expect(policy.isNonRetryable(new UnknownEventTypeError('x'))).toBe(true);
    expect(policy.isNonRetryable(new LeaseLostError('gone'))).toBe(false);
    expect(policy.isNonRetryable(new Error('db down'))).toBe(false);
  });

  it('validates its options', () => {
    expect(() => new RetryPolicy({ jitter: 2 })).toThrow('"retry.jitter": must be a number from 0 to 1');
    expect(() => new RetryPolicy({ baseDelaySeconds: 10, maxDelaySeconds: 5 })).toThrow(
      '"retry.maxDelaySeconds": must be at least retry.baseDelaySeconds (10)',
    );
    expect(() => new RetryPolicy({ maxDelaySeconds: 50_000 })).toThrow('from 0 to 43200');
    expect(() => new RetryPolicy({ jitter: -1 }, Math.random, 'outageRetry')).toThrow('"outageRetry.jitter"');
  });
});
