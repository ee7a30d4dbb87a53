/**
 * The transactional outbox: producers write events in their own business
 * transaction; a relay sends them afterwards. The transport depends only on
 * this interface; `@sqsref/sqs-prisma` implements it on PostgreSQL.
 */

/** One stored event, ready to send. */
export interface OutboxMessage {
  /** The row id; equals the envelope's event id. */
  id: string;
  /** Logical queue name, e.g. `order-events.fifo`; the relay resolves it to a URL. */
  queue: string;
  /** FIFO message group (e.g. the order id); null on standard queues. */
  groupId: string | null;
  /** FIFO deduplication id; defaults to `id`. */
  deduplicationId: string | null;
  /** The JSON envelope, as sent. */
  body: string;
  /** String message attributes (at least `type`). */
  attributes: Record<string, string>;
  /** Failed send attempts so far. */
  attempts: number;
  createdAt: Date;
}

export interface OutboxFailure {
  id: string;
  error: string;
  /** When to try again; null parks the row (no more attempts until an operator acts). */
  retryAt: Date | null;
}

export interface OutboxStore {
  /**
   * Claims up to `limit` sendable rows for `owner` until now + `leaseMs`, with
   * `FOR UPDATE SKIP LOCKED`. Per group it claims an unbroken run of up to
   * `maxPerGroup` (default 1) consecutive rows, starting at the group's oldest
   * unsent row, and only when no other relay holds a live claim on that group's
   * rows; parked rows block their group (order over progress). Rows come back
   * oldest first. A store that ignores `maxPerGroup` and claims only each
   * group's oldest row is still correct, only slower for a busy group.
   */
  claim(owner: string, limit: number, leaseMs: number, maxPerGroup?: number): Promise<OutboxMessage[]>;
  /**
   * Drops `owner`'s claim on rows it did not send (an earlier row of their group
   * failed), without counting an attempt. Optional: without it the claims
   * expire after `leaseMs`.
   */
  release?(owner: string, ids: readonly string[]): Promise<void>;
  /** Marks rows sent (only those still claimed by `owner`). */
  markSent(owner: string, ids: readonly string[]): Promise<void>;
  /** Records failures: schedules a retry or parks, and drops the claim. */
  markFailed(owner: string, failures: readonly OutboxFailure[]): Promise<void>;
  /** Deletes sent rows older than `cutoff`; returns how many. */
  deleteSentBefore(cutoff: Date): Promise<number>;
  /**
   * Resolves when new rows may be ready (LISTEN/NOTIFY), or after `timeoutMs`,
   * or when `signal` aborts. Optional: without it the relay polls.
   */
  waitForWork?(timeoutMs: number, signal: AbortSignal): Promise<void>;
}
