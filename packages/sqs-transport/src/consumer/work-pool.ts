import type { HeldMessage } from './held-message.js';

/**
 * The global limits of one consumer:
 * - `concurrency`: handlers running at once;
 * - `capacity` (concurrency + prefetch): messages held at once, running or
 *   waiting (for a free handler slot, or behind their FIFO group).
 * Pollers reserve room before they receive, so a receive never asks for more
 * messages than there is room for; a settled message (acked, retried,
 * dead-lettered or requeued at shutdown) vacates its room.
 */
export class WorkPool {
  private held = 0;
  private reserved = 0;
  private runningCount = 0;
  private readonly pending: HeldMessage[] = [];
  private roomWaiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];

  constructor(
    readonly concurrency: number,
    readonly capacity: number,
    private readonly run: (message: HeldMessage) => void,
  ) {}

  /** Messages currently held. */
  get size(): number {
    return this.held;
  }

  get running(): number {
    return this.runningCount;
  }

  get free(): number {
    return this.capacity - this.held - this.reserved;
  }

  /** Reserves up to `max` slots for a receive; returns how many were reserved (0 when full). */
  reserve(max: number): number {
    const granted = Math.max(0, Math.min(max, this.free));
    this.reserved += granted;
    return granted;
  }

  /** Turns `used` reserved slots into held messages and gives the rest of the reservation back. */
  commit(reservedCount: number, used: number): void {
    this.reserved -= reservedCount;
    this.held += used;
    if (reservedCount > used) this.notifyRoom();
  }

  /** Runs the message as soon as a handler slot is free (in submission order). */
  schedule(message: HeldMessage): void {
    if (this.runningCount < this.concurrency) {
      this.runningCount += 1;
      this.run(message);
    } else {
      this.pending.push(message);
    }
  }

  /** A running message finished its handler: start the next pending one. */
  finished(): void {
    this.runningCount -= 1;
    const next = this.pending.shift();
    if (next) {
      this.runningCount += 1;
      this.run(next);
    }
  }

  /** Removes and returns the messages waiting for a handler slot (shutdown). */
  drainPending(): HeldMessage[] {
    return this.pending.splice(0);
  }

  /** Settled messages vacate their room: a waiting poller may receive again. */
  vacate(count = 1): void {
    this.held -= count;
    this.notifyRoom();
    if (this.held === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Resolves when at least one slot is free, or when `signal` aborts. */
  waitForRoom(signal: AbortSignal): Promise<void> {
    if (this.free > 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      signal.addEventListener('abort', done, { once: true });
      this.roomWaiters.push(done);
    });
  }

  /** Resolves when no message is held. */
  whenIdle(): Promise<void> {
    if (this.held === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private notifyRoom(): void {
    if (this.roomWaiters.length === 0 || this.free <= 0) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
