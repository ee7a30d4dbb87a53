import type { Clock } from '../clock.js';
import { sleep } from '../clock.js';
import type { ConsumerEventBus } from '../events.js';
import type { HeldMessage } from './held-message.js';
import type { PollingGate } from './poller.js';
import type { RetryPolicy } from './retry-policy.js';

/**
 * Carries a consumer through a dependency outage without sending anything toward a DLQ.
 *
 * SQS counts every receive toward `maxReceiveCount`, so returning a message whose handler failed because its database
 * was away would dead-letter it after a long enough outage, and new receives would fail the same way. Instead, a
 * message whose handler failed that way is held here (the consumer keeps it invisible with the heartbeat, at the head
 * of its FIFO lane) and runs again in process after a backoff. While any message is held, polling is paused, so no
 * receive is counted. The first held message whose handler then succeeds proves the dependency is back: the others
 * run again at once, and polling resumes when none is held any more.
 */
export class OutageGate implements PollingGate {
  /** Held messages, each with the controller that ends its current wait early (none while its handler runs). */
  private readonly held = new Map<HeldMessage, AbortController | undefined>();
  private openWaiters = new Set<() => void>();
  private pausedAt: number | undefined;

  constructor(
    private readonly policy: RetryPolicy,
    private readonly clock: Clock,
    private readonly events: ConsumerEventBus,
  ) {}

  /** Whether polling is paused (a message is held through an outage). */
  get paused(): boolean {
    return this.held.size > 0;
  }

  /** Messages held through an outage right now (waiting for their retry, or running it). */
  get heldCount(): number {
    return this.held.size;
  }

  /** The held messages waiting for their retry (not running it), in the order they were held. */
  get waiting(): HeldMessage[] {
    return [...this.held.keys()].filter((message) => message.state === 'outage');
  }

  /** Resolves at once unless polling is paused; otherwise when the outage ends or `signal` aborts. */
  whenOpen(signal: AbortSignal): Promise<void> {
    if (!this.paused || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.openWaiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.openWaiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * The handler of `message` failed for the `attempt`-th time in a row because a dependency is away: holds it (the
   * first held message pauses polling) and returns how long it waits before it runs again, in ms (the consumer's
   * backoff, with jitter).
   */
  hold(message: HeldMessage, attempt: number, error: Error): number {
    if (!this.held.has(message)) this.held.set(message, undefined);
    if (this.pausedAt === undefined) {
      this.pausedAt = this.clock.now();
      this.events.emit('polling-paused', { error });
    }
    return this.policy.delayMs(attempt);
  }

  /**
   * Waits `ms` before `message` runs again. Ends early, without rejecting, when another held message succeeded (the
   * dependency is back), when `message` leaves the gate, or when `signal` aborts (its lease was lost, or it reached
   * the maximum processing time).
   */
  async wait(message: HeldMessage, ms: number, signal: AbortSignal): Promise<void> {
    if (!this.held.has(message)) return;
    const wake = new AbortController();
    this.held.set(message, wake);
    try {
      await sleep(this.clock, ms, AbortSignal.any([wake.signal, signal]));
    } finally {
      if (this.held.get(message) === wake) this.held.set(message, undefined);
    }
  }

  /** The handler of `message` succeeded: if it was held, the dependency is back; the other held messages run now. */
  succeeded(message: HeldMessage): void {
    if (!this.held.delete(message)) return;
    for (const wake of this.held.values()) wake?.abort();
    this.reopenIfClear();
  }

  /** `message` is no longer held (acked, retried, requeued at shutdown or dead-lettered): it stops holding polling. */
  leave(message: HeldMessage): void {
    if (!this.held.has(message)) return;
    const wake = this.held.get(message);
    this.held.delete(message);
    wake?.abort();
    this.reopenIfClear();
  }

  private reopenIfClear(): void {
    if (this.held.size > 0 || this.pausedAt === undefined) return;
    const durationMs = this.clock.now() - this.pausedAt;
    this.pausedAt = undefined;
    this.events.emit('polling-resumed', { durationMs });
    for (const resolve of [...this.openWaiters]) resolve();
  }
}
