/**
 * The inbox makes consumers idempotent: it remembers which events a consumer
 * has processed, keyed by the producer's event id. The transport depends only
 * on this interface; `@sqsref/sqs-prisma` implements it on PostgreSQL.
 */

/** Identifies one event as seen by one consumer. */
export interface InboxKey {
  /** A stable name of the consuming handler, e.g. `shipping.order-placed`. */
  consumer: string;
  /** The producer's event id from the envelope. */
  eventId: string;
}

/** Lets the transport veto a commit, e.g. after the message's lease was lost. */
export interface CommitGuard {
  /** Fires when the message's lease is lost or processing must stop. */
  readonly signal: AbortSignal;
  /** Throws (a `LeaseLostError`, typically) when the transaction must not commit. Call it just before commit. */
  assertCanCommit(): void;
}

export type InboxTransactionResult<T> = { status: 'processed'; result: T } | { status: 'duplicate' };

/** Outcome of trying to take the lease on an event. */
export type LeaseClaim =
  /** The caller holds the lease and must run the work, then complete or release it. */
  | 'acquired'
  /** Another consumer holds a live lease: retry later, do not run. */
  | 'busy'
  /** The event was completed before: skip and ack. */
  | 'completed';

export interface InboxStore<TTx = unknown> {
  /**
   * Transaction mode. In one database transaction: insert the inbox row for
   * `key`, run `work` with the transaction client, call `guard.assertCanCommit()`,
   * commit. When the row exists already (a duplicate, possibly committed by a
   * concurrent consumer while this one waited on the unique key), nothing runs
   * and the result is `{ status: 'duplicate' }`. Any error rolls back both the
   * row and the work's writes.
   */
  runInTransaction<T>(
    key: InboxKey,
    work: (tx: TTx) => Promise<T>,
    guard: CommitGuard,
  ): Promise<InboxTransactionResult<T>>;

  /** Lease mode: claims `key` for `owner` until now + `leaseMs`, unless a live lease or a completion exists. */
  acquireLease(key: InboxKey, owner: string, leaseMs: number): Promise<LeaseClaim>;
  /** Extends a held lease; resolves false when `owner` no longer holds it. */
  renewLease(key: InboxKey, owner: string, leaseMs: number): Promise<boolean>;
  /** Marks the event completed: later deliveries are skipped. */
  completeLease(key: InboxKey, owner: string): Promise<void>;
  /** Gives the lease up after a failure, so a redelivery can run the work again. */
  releaseLease(key: InboxKey, owner: string): Promise<void>;

  /** Deletes rows processed before `cutoff`; returns how many. Keep `cutoff` older than the queue's retention. */
  deleteProcessedBefore(cutoff: Date): Promise<number>;
}
