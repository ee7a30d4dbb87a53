import { delay } from './delay.js';

/** Time, injectable so that heartbeats, backoff and shutdown deadlines are testable without waiting. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Resolves after `ms`, or at once when `signal` aborts (never rejects). Paces every backoff: the in-process retries
   * through a dependency outage, failed receives, deletes and relay passes. Default: a timer.
   */
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now(), sleep: delay };

/** Waits `ms` on `clock` (its `sleep`, else a timer); ends early, without rejecting, when `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (!clock.sleep) return delay(ms, signal);
  return clock.sleep(ms, signal ?? new AbortController().signal);
}

/** A random number in [0, 1). Injected where jitter is applied. */
export type RandomSource = () => number;
