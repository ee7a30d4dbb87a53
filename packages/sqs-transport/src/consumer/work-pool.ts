import { SQS_MAX_RECEIVE_MESSAGES } from '../sqs-limits.js';
import type { HeldMessage } from './held-message.js';

/**
 * The global limits of one consumer:
 * - `concurrency`: handlers running at once;
 * - `capacity` (concurrency + prefetch): messages held at once, running or
 *   waiting (for a free handler slot, or behind their FIFO group).
 * Pollers reserve room before they receive, so a receive never asks for more
 * messages than there is room for; a settled message (acked, retried,
 * dead-lettered or requeued at shutdown) vacates its room.
 *
 * A poller waits for room for a full receive (`batchThreshold`: 10 messages), not for the first free slot, so
 * handlers that finish one by one do not turn each receive into a receive of 1 (more calls per message, each billed
 * on AWS). It waits for less only when prefetch is too small to keep every handler busy meanwhile: the threshold is
 * `prefetch + 1`, so a handler slot never idles while a receive waits for room.
 */
export class WorkPool {
  private held = 0;
  private reserved = 0;
  private runningCount = 0;
  private readonly pending: HeldMessage[] = [];
  private roomWaiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];

  /** The least free room a receive waits for: a full receive, or `prefetch + 1` when that is smaller. */
  readonly batchThreshold: number;

  constructor(
    readonly concurrency: number,
    readonly capacity: number,
    private readonly run: (message: HeldMessage) => void,
  ) {
    this.batchThreshold = Math.max(1, Math.min(SQS_MAX_RECEIVE_MESSAGES, capacity - concurrency + 1, capacity));
  }

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

  /**
   * Reserves up to `max` slots for a receive; returns how many were reserved: 0 when less than `batchThreshold` is
   * free (another poller took the room meanwhile).
   */
  reserve(max: number): number {
    const free = this.free;
    const granted = free < Math.min(max, this.batchThreshold) ? 0 : Math.min(max, free);
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

  /** Resolves when `batchThreshold` slots are free, or when `signal` aborts. */
  waitForRoom(signal: AbortSignal): Promise<void> {
    if (this.free >= this.batchThreshold || signal.aborted) return Promise.resolve();
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
    if (this.roomWaiters.length === 0 || this.free < this.batchThreshold) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
