import { describe, expect, it } from '@jest/globals';
import { LeaseLostError, MaxProcessingTimeExceededError } from '../errors.js';
import type { InboxKey } from '../inbox.js';
import { MemoryInbox } from '../testing/memory-inbox.js';
import { fifoQueueRuntime } from './queue-runtime.fixture.js';
import { HeldMessage } from './held-message.js';
import { LeaseBusyError, commitGuardFor, runIdempotently } from './idempotency.js';

const key: InboxKey = { consumer: 'shipping:order.placed', eventId: 'event-1' };

const queue = fifoQueueRuntime();
const held = (): HeldMessage => new HeldMessage(queue, { MessageId: 'm', ReceiptHandle: 'rh', Body: '{}' }, 0);

/** Lets pending promise callbacks (a fire-and-forget renewal) run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('commitGuardFor', () => {
  it('allows the commit until the message is aborted, then throws the abort reason', () => {
    const message = held();
    const guard = commitGuardFor(message);
    expect(guard.signal).toBe(message.signal);
    expect(() => guard.assertCanCommit()).not.toThrow();
    const reason = new MaxProcessingTimeExceededError(60);
    message.lease.abort(reason);
    expect(() => guard.assertCanCommit()).toThrow(reason);
  });

  it('throws LeaseLostError when the abort reason is not an Error', () => {
    const message = held();
    message.lease.abort('gone');
    expect(() => commitGuardFor(message).assertCanCommit()).toThrow(LeaseLostError);
  });
});

describe('runIdempotently in transaction mode', () => {
  it('runs the work with the transaction and commits its writes with the inbox row', async () => {
    const inbox = new MemoryInbox();
    const run = await runIdempotently(inbox, 'transaction', key, held(), 'owner', async (tx) => {
      tx?.writes.push('shipment s-1');
      return 'done';
    });
    expect(run).toEqual({ duplicate: false, result: 'done' });
    expect(inbox.committedWrites).toEqual(['shipment s-1']);
    expect(inbox.rows.size).toBe(1);
  });

  it('skips the work of a duplicate', async () => {
    const inbox = new MemoryInbox();
    let runs = 0;
    const work = async (): Promise<void> => {
      runs += 1;
    };
    await runIdempotently(inbox, 'transaction', key, held(), 'owner', work);
    const second = await runIdempotently(inbox, 'transaction', key, held(), 'owner', work);
    expect(second).toEqual({ duplicate: true });
    expect(runs).toBe(1);
  });

  it('refuses the commit after the message was aborted (lease lost): nothing is written and a redelivery runs again', async () => {
    const inbox = new MemoryInbox();
    const message = held();
    const lost = new LeaseLostError('SQS refused the extension');
    await expect(
      runIdempotently(inbox, 'transaction', key, message, 'owner', async (tx) => {
        tx?.writes.push('shipment s-1');
        message.lease.abort(lost); // the heartbeat loses the lease while the handler runs
      }),
    ).rejects.toBe(lost);
    expect(inbox.rows.size).toBe(0);
    expect(inbox.committedWrites).toEqual([]);

    const redelivered = await runIdempotently(inbox, 'transaction', key, held(), 'owner', async (tx) => {
      tx?.writes.push('shipment s-2');
    });
    expect(redelivered.duplicate).toBe(false);
    expect(inbox.committedWrites).toEqual(['shipment s-2']);
  });

  it('rolls back when the work throws', async () => {
    const inbox = new MemoryInbox();
    await expect(
      runIdempotently(inbox, 'transaction', key, held(), 'owner', async () => {
        throw new Error('db constraint');
      }),
    ).rejects.toThrow('db constraint');
    expect(inbox.rows.size).toBe(0);
  });
});

describe('runIdempotently in lease mode', () => {
  it('acquires a lease for the visibility timeout, runs the work without a transaction, then completes', async () => {
    const inbox = new MemoryInbox();
    const message = held();
    const run = await runIdempotently(inbox, 'lease', key, message, 'owner-a', async (tx) => {
      expect(tx).toBeUndefined();
      expect(message.lease.hasListeners).toBe(true);
      return 42;
    });
    expect(run).toEqual({ duplicate: false, result: 42 });
    expect(inbox.log).toEqual(['acquire owner-a 30000', 'complete owner-a']);
    expect(message.lease.hasListeners).toBe(false);
  });

  it('treats a completed key as a duplicate and does not run the work', async () => {
    const inbox = new MemoryInbox();
    await runIdempotently(inbox, 'lease', key, held(), 'owner-a', async () => undefined);
    let ran = false;
    const again = await runIdempotently(inbox, 'lease', key, held(), 'owner-b', async () => {
      ran = true;
    });
    expect(again).toEqual({ duplicate: true });
    expect(ran).toBe(false);
  });

  it('raises LeaseBusyError (retryable, LEASE_LOST) when another owner holds the lease for a whole lease period', async () => {
    const inbox = new MemoryInbox();
    await inbox.acquireLease(key, 'owner-a', 300_000);
    let ran = false;
    const waits: number[] = [];
    const wait = async (ms: number): Promise<void> => void waits.push(ms);
    const attempt = runIdempotently(
      inbox,
      'lease',
      key,
      held(),
      'owner-b',
      async () => {
        ran = true;
      },
      wait,
    );
    await expect(attempt).rejects.toBeInstanceOf(LeaseBusyError);
    await expect(attempt).rejects.toMatchObject({ code: 'LEASE_LOST', retryable: true, name: 'LeaseBusyError' });
    await expect(attempt).rejects.toThrow(
      'event event-1 is being processed by another consumer of "shipping:order.placed"',
    );
    expect(ran).toBe(false);
    expect(inbox.log).not.toContain('release owner-b');
    // The queue's visibility timeout (the lease period) waited for, a second at a time.
    expect(waits.reduce((sum, ms) => sum + ms, 0)).toBe(queue.visibilityTimeoutSeconds * 1000);
  });

  it('waits for a lease left behind (its owner died, or could not release it) and then runs the work', async () => {
    const inbox = new MemoryInbox();
    await inbox.acquireLease(key, 'owner-a', 300_000);
    const waits: number[] = [];
    const wait = async (ms: number): Promise<void> => {
      waits.push(ms);
      if (waits.length === 3) await inbox.releaseLease(key, 'owner-a'); // as if it lapsed
    };
    const run = await runIdempotently(inbox, 'lease', key, held(), 'owner-b', async () => 'done', wait);
    expect(run).toEqual({ duplicate: false, result: 'done' });
    expect(waits).toHaveLength(3);
    expect(inbox.log.slice(-2)).toEqual(['acquire owner-b 30000', 'complete owner-b']);
  });

  it('releases the lease when the work fails, so a redelivery runs it again', async () => {
    const inbox = new MemoryInbox();
    const message = held();
    await expect(
      runIdempotently(inbox, 'lease', key, message, 'owner-a', async () => {
        throw new Error('carrier API down');
      }),
    ).rejects.toThrow('carrier API down');
    expect(inbox.log).toEqual(['acquire owner-a 30000', 'release owner-a']);
    expect(message.lease.hasListeners).toBe(false);

    const retry = await runIdempotently(inbox, 'lease', key, held(), 'owner-b', async () => 'ok');
    expect(retry).toEqual({ duplicate: false, result: 'ok' });
  });

  it('keeps the original error when releasing the lease fails too', async () => {
    const inbox = new MemoryInbox();
    inbox.releaseLease = async () => {
      throw new Error('db down');
    };
    await expect(
      runIdempotently(inbox, 'lease', key, held(), 'owner-a', async () => {
        throw new Error('carrier API down');
      }),
    ).rejects.toThrow('carrier API down');
  });

  it('renews the lease whenever the heartbeat extends the message', async () => {
    const inbox = new MemoryInbox();
    const message = held();
    await runIdempotently(inbox, 'lease', key, message, 'owner-a', async () => {
      message.lease.extended(message.visibleUntil);
      message.lease.extended(message.visibleUntil);
      await settle();
    });
    expect(inbox.log).toEqual([
      'acquire owner-a 30000',
      'renew owner-a 30000',
      'renew owner-a 30000',
      'complete owner-a',
    ]);
    expect(message.signal.aborted).toBe(false);
  });

  it('aborts the message when a renewal finds the lease taken over, and then refuses to complete', async () => {
    const inbox = new MemoryInbox();
    const message = held();
    const attempt = runIdempotently(inbox, 'lease', key, message, 'owner-a', async () => {
      inbox.renewResult = false;
      message.lease.extended(message.visibleUntil);
      await settle();
      expect(message.signal.aborted).toBe(true);
    });
    await expect(attempt).rejects.toBeInstanceOf(LeaseLostError);
    await expect(attempt).rejects.toThrow('the inbox lease on event event-1 was taken over');
    expect(inbox.log).not.toContain('complete owner-a');
    expect(inbox.log).toContain('release owner-a');
  });

  it('ignores a renewal that fails outright (the lease outlives one miss)', async () => {
    const inbox = new MemoryInbox();
    const message = held();
    inbox.renewResult = new Error('connection reset');
    const run = await runIdempotently(inbox, 'lease', key, message, 'owner-a', async () => {
      message.lease.extended(message.visibleUntil);
      await settle();
      return 'ok';
    });
    expect(run).toEqual({ duplicate: false, result: 'ok' });
    expect(message.signal.aborted).toBe(false);
  });
});
