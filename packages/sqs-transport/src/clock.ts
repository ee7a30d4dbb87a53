/** Time, injectable so that heartbeats, backoff and shutdown deadlines are testable without waiting. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A random number in [0, 1). Injected where jitter is applied. */
export type RandomSource = () => number;
