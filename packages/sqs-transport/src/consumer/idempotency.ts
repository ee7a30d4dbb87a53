import { delay } from '../delay.js';
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

/** How often a busy lease is tried again while waiting for it to lapse: `leaseMs` / this, at most once a second. */
const BUSY_LEASE_POLLS = 5;

/**
 * Takes the lease on `key`. A busy lease is waited for, up to one lease period (the message stays held, its
 * heartbeat going): the lease of an owner that died or could not release it after a failure (its database away)
 * lapses within `leaseMs`, and a live owner finishes or renews it. Returning the message at once would use up one of
 * its receives per retry backoff, and a stale lease outlives several backoffs: the message would reach its DLQ
 * although nothing is wrong with it. Still busy after a lease period: another consumer is really at it.
 */
async function claimLease<TTx>(
  store: InboxStore<TTx>,
  key: InboxKey,
  owner: string,
  leaseMs: number,
  message: HeldMessage,
  wait: (ms: number, signal: AbortSignal) => Promise<void>,
): Promise<'acquired' | 'completed'> {
  const intervalMs = Math.min(1_000, Math.ceil(leaseMs / BUSY_LEASE_POLLS));
  for (let waited = 0; ; waited += intervalMs) {
    const claim = await store.acquireLease(key, owner, leaseMs);
    if (claim !== 'busy') return claim;
    if (waited >= leaseMs || message.signal.aborted) throw new LeaseBusyError(key);
    await wait(intervalMs, message.signal);
  }
}

/**
 * Runs `work` at most once in effect per inbox key.
 *
 * - `transaction`: `work` gets the transaction client; its writes and the inbox
 *   row commit together, or neither does. A duplicate skips `work`.
 * - `lease`: takes a lease on the key (renewed whenever the heartbeat extends
 *   the message), runs `work`, then marks the key completed; a failure releases
 *   the lease so a redelivery runs again. A lease held elsewhere is waited for
 *   (up to one lease period, `wait` between tries), then raises
 *   {@link LeaseBusyError} (retried with backoff); a completed key is skipped.
 */
export async function runIdempotently<TTx, T>(
  store: InboxStore<TTx>,
  mode: InboxMode,
  key: InboxKey,
  message: HeldMessage,
  owner: string,
  work: (tx: TTx | undefined) => Promise<T>,
  wait: (ms: number, signal: AbortSignal) => Promise<void> = delay,
): Promise<IdempotentRun<T>> {
  const guard = commitGuardFor(message);
  if (mode === 'transaction') {
    const outcome = await store.runInTransaction(key, (tx) => work(tx), guard);
    return outcome.status === 'duplicate' ? { duplicate: true } : { duplicate: false, result: outcome.result };
  }

  const leaseMs = message.queue.visibilityTimeoutSeconds * 1000;
  const claim = await claimLease(store, key, owner, leaseMs, message, wait);
  if (claim === 'completed') return { duplicate: true };

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
