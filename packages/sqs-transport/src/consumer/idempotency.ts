import { LeaseLostError } from '../errors.js';
import type { CommitGuard, InboxKey, InboxStore } from '../inbox.js';
import type { HeldMessage } from './held-message.js';

/** How a handler is made idempotent. */
export type InboxMode =
  /** The handler's writes and the inbox row commit in one database transaction. */
  | 'transaction'
  /** For effects outside the database: a lease on the event id, held while the heartbeat runs. */
  | 'lease';

/** Raised when another consumer holds a live lease on the same event: retried later, never run twice at once. */
export class LeaseBusyError extends LeaseLostError {
  constructor(key: InboxKey) {
    super(`event ${key.eventId} is being processed by another consumer of "${key.consumer}"`);
  }
}

export interface IdempotentRun<T> {
  duplicate: boolean;
  result?: T;
}

/** A commit guard tied to the message: refuses the commit once its lease is lost or processing must stop. */
export function commitGuardFor(message: HeldMessage): CommitGuard {
  return {
    signal: message.signal,
    assertCanCommit: () => {
      if (!message.signal.aborted) return;
      const reason: unknown = message.signal.reason;
      throw reason instanceof Error ? reason : new LeaseLostError('processing was aborted');
    },
  };
}

/**
 * Runs `work` at most once in effect per inbox key.
 *
 * - `transaction`: `work` gets the transaction client; its writes and the inbox
 *   row commit together, or neither does. A duplicate skips `work`.
 * - `lease`: takes a lease on the key (renewed whenever the heartbeat extends
 *   the message), runs `work`, then marks the key completed; a failure releases
 *   the lease so a redelivery runs again. A live lease held elsewhere raises
 *   {@link LeaseBusyError} (retried with backoff); a completed key is skipped.
 */
export async function runIdempotently<TTx, T>(
  store: InboxStore<TTx>,
  mode: InboxMode,
  key: InboxKey,
  message: HeldMessage,
  owner: string,
  work: (tx: TTx | undefined) => Promise<T>,
): Promise<IdempotentRun<T>> {
  const guard = commitGuardFor(message);
  if (mode === 'transaction') {
    const outcome = await store.runInTransaction(key, (tx) => work(tx), guard);
    return outcome.status === 'duplicate' ? { duplicate: true } : { duplicate: false, result: outcome.result };
  }

  const leaseMs = message.queue.visibilityTimeoutSeconds * 1000;
  const claim = await store.acquireLease(key, owner, leaseMs);
  if (claim === 'completed') return { duplicate: true };
  if (claim === 'busy') throw new LeaseBusyError(key);

  const stopRenewing = message.lease.onExtended(() => {
    store.renewLease(key, owner, leaseMs).then(
      (held) => {
        if (!held) message.lease.abort(new LeaseLostError(`the inbox lease on event ${key.eventId} was taken over`));
      },
      () => undefined, // A failed renewal is retried on the next extension; the lease outlives one miss.
    );
  });
  try {
    const result = await work(undefined);
    guard.assertCanCommit();
    await store.completeLease(key, owner);
    return { duplicate: false, result };
  } catch (error) {
    await store.releaseLease(key, owner).catch(() => undefined);
    throw error;
  } finally {
    stopRenewing();
  }
}
