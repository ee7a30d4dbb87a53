import type { Clock, RandomSource } from './clock.js';
import { sleep, systemClock } from './clock.js';

/** The shape of one exponential backoff, in ms. */
export interface BackoffSettings {
  /** The delay after the first failure, before jitter, in ms. */
  baseMs: number;
  /** The longest delay, before jitter, in ms. Default: no cap. */
  maxMs?: number;
  /**
   * Share of each delay that is random, so that things failing together do not retry together: 0 none (the default),
   * 0.5 half (the delay lies between half and all of it), 1 "full jitter" (between 0 and all of it).
   */
  jitter?: number;
}

/** Where a backoff takes its time and its randomness from, both injectable for tests. */
export interface BackoffSources {
  /** How it waits: the clock's `sleep`, else a timer. Default: the system clock. */
  clock?: Clock;
  /** Random numbers in [0, 1) for the jitter. Default `Math.random`. */
  random?: RandomSource;
}

/** Keeps 2^n finite for any attempt count; every real cap is reached long before. */
const MAX_DOUBLINGS = 30;

/**
 * Exponential backoff with jitter, the one every retry loop of the transport uses (each with its own settings):
 * after the n-th failure in a row the delay is `baseMs * 2^(n-1)`, at most `maxMs`; the `jitter` share of it is drawn
 * uniformly at random, the rest is fixed. Delays are whole milliseconds.
 */
export class Backoff {
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly jitter: number;
  private readonly clock: Clock;
  private readonly random: RandomSource;

  constructor(settings: BackoffSettings, sources: BackoffSources = {}) {
    this.baseMs = settings.baseMs;
    this.maxMs = settings.maxMs ?? Number.POSITIVE_INFINITY;
    this.jitter = settings.jitter ?? 0;
    this.clock = sources.clock ?? systemClock;
    this.random = sources.random ?? Math.random;
  }

  /** The delay after the `attempt`-th failure in a row (1 for the first), in whole ms. */
  delayMs(attempt: number): number {
    const doublings = Math.min(Math.max(1, Math.floor(attempt)) - 1, MAX_DOUBLINGS);
    const exponential = Math.min(this.maxMs, this.baseMs * 2 ** doublings);
    const drawn = this.jitter === 0 ? 0 : this.random();
    return Math.round(exponential * (1 - this.jitter) + exponential * this.jitter * drawn);
  }

  /** Waits out the delay after the `attempt`-th failure on the clock; ends early, without rejecting, when `signal` aborts. */
  wait(attempt: number, signal?: AbortSignal): Promise<void> {
    return sleep(this.clock, this.delayMs(attempt), signal);
  }
}
