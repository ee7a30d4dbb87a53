import type { CommitGuard, InboxKey, InboxStore, InboxTransactionResult, LeaseClaim } from '../inbox.js';

export interface FakeTx {
  writes: string[];
}

/**
 * An in-memory InboxStore with the contract's semantics: a transaction commits the
 * inbox row and the work's writes together, after the guard allows it; leases
 * belong to an owner until completed or released. Every call is logged.
 */
export class MemoryInbox implements InboxStore<FakeTx> {
  readonly rows = new Set<string>();
  readonly committedWrites: string[] = [];
  readonly leases = new Map<string, { owner: string; completed: boolean }>();
  readonly log: string[] = [];
  renewResult: boolean | Error = true;

  async runInTransaction<T>(
    key: InboxKey,
    work: (tx: FakeTx) => Promise<T>,
    guard: CommitGuard,
  ): Promise<InboxTransactionResult<T>> {
    const id = keyOf(key);
    if (this.rows.has(id)) return { status: 'duplicate' };
    const tx: FakeTx = { writes: [] };
    const result = await work(tx); // an error here rolls back: nothing below happens
    guard.assertCanCommit();
    this.rows.add(id);
    this.committedWrites.push(...tx.writes);
    return { status: 'processed', result };
  }

  async acquireLease(key: InboxKey, owner: string, leaseMs: number): Promise<LeaseClaim> {
    this.log.push(`acquire ${owner} ${leaseMs}`);
    const lease = this.leases.get(keyOf(key));
    if (lease?.completed) return 'completed';
    if (lease && lease.owner !== owner) return 'busy';
    this.leases.set(keyOf(key), { owner, completed: false });
    return 'acquired';
  }

  async renewLease(key: InboxKey, owner: string, leaseMs: number): Promise<boolean> {
    this.log.push(`renew ${owner} ${leaseMs}`);
    if (this.renewResult instanceof Error) throw this.renewResult;
    return this.renewResult && this.leases.get(keyOf(key))?.owner === owner;
  }

  async completeLease(key: InboxKey, owner: string): Promise<void> {
    this.log.push(`complete ${owner}`);
    const lease = this.leases.get(keyOf(key));
    if (lease?.owner === owner) lease.completed = true;
  }

  async releaseLease(key: InboxKey, owner: string): Promise<void> {
    this.log.push(`release ${owner}`);
    if (this.leases.get(keyOf(key))?.owner === owner) this.leases.delete(keyOf(key));
  }

  async deleteProcessedBefore(): Promise<number> {
    return 0;
  }
}

const keyOf = (key: InboxKey): string => `${key.consumer}\u0000${key.eventId}`;
