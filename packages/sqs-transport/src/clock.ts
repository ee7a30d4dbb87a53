import { delay } from './delay.js';

/** Time, injectable so that heartbeats, backoff and shutdown deadlines are testable without waiting. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Resolves after `ms`, or at once when `signal` aborts (never rejects). Paces the in-process retries through a
   * dependency outage. Default: a timer.
   */
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now(), sleep: delay };

/** A random number in [0, 1). Injected where jitter is applied. */
export type RandomSource = () => number;
