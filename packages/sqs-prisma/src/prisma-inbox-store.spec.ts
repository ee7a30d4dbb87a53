import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { CommitGuard } from '@sqsref/sqs-transport';
import { InvalidOptionError } from './errors.js';
import { PrismaInboxStore } from './prisma-inbox-store.js';
import { migratedTestDatabase, query, sessionsWaitingOnLock } from '../test/support/database.js';
import { prismaClientFor, type TestPrismaClient, type TestTransactionClient } from '../test/support/prisma.js';
import { gate, settlesWithin, waitUntil } from '../test/support/wait.js';

const okGuard: CommitGuard = { signal: new AbortController().signal, assertCanCommit: () => undefined };

let env: Awaited<ReturnType<typeof migratedTestDatabase>>;
let prisma: TestPrismaClient;
let store: PrismaInboxStore<TestTransactionClient>;

beforeAll(async () => {
  env = await migratedTestDatabase('inbox');
  prisma = prismaClientFor(env.database.url);
  store = new PrismaInboxStore({ client: prisma });
  // Business table for the handlers' writes.
  await query(env.database.url, 'CREATE TABLE shipments (id text PRIMARY KEY, event_id text NOT NULL)');
});

afterAll(async () => {
  await prisma?.$disconnect();
  await env?.close();
});

function key(consumer = 'shipping.order-placed') {
  return { consumer, eventId: randomUUID() };
}

async function shipmentCount(eventId: string): Promise<number> {
  const rows = await query<{ n: string }>(env.database.url, 'SELECT count(*) AS n FROM shipments WHERE event_id = $1', [
    eventId,
  ]);
  return Number(rows[0]?.n);
}

async function inboxRow(k: { consumer: string; eventId: string }) {
  const rows = await query(env.database.url, 'SELECT * FROM sqs_inbox WHERE consumer = $1 AND event_id = $2', [
    k.consumer,
    k.eventId,
  ]);
  return rows[0];
}

/** A key whose lease worker-1 acquired and lost when it expired, and worker-2 then acquired. */
async function leaseTakenOver(): Promise<{ consumer: string; eventId: string }> {
  const k = key('shipping.label');
  expect(await store.acquireLease(k, 'worker-1', 60_000)).toBe('acquired');
  // Expire it in the database rather than waiting.
  await query(
    env.database.url,
    "UPDATE sqs_inbox SET lease_expires_at = now() - interval '1 second' WHERE event_id = $1",
    [k.eventId],
  );
  expect(await store.acquireLease(k, 'worker-2', 60_000)).toBe('acquired');
  return k;
}

/** Two stores on clients of their own (named for pg_stat_activity), for races; open for the enclosing describe. */
function twoStores(nameA: string, nameB: string) {
  const pair = {} as {
    clientA: TestPrismaClient;
    clientB: TestPrismaClient;
    storeA: PrismaInboxStore<TestTransactionClient>;
    storeB: PrismaInboxStore<TestTransactionClient>;
  };
  beforeAll(() => {
    pair.clientA = prismaClientFor(env.database.url, nameA);
    pair.clientB = prismaClientFor(env.database.url, nameB);
    pair.storeA = new PrismaInboxStore({ client: pair.clientA });
    pair.storeB = new PrismaInboxStore({ client: pair.clientB });
  });
  afterAll(async () => {
    await pair.clientA?.$disconnect();
    await pair.clientB?.$disconnect();
  });
  return pair;
}

describe('PrismaInboxStore options', () => {
  it('rejects a missing client and out-of-range timeouts, naming the option', () => {
    expect(() => new PrismaInboxStore({ client: undefined as never })).toThrow(InvalidOptionError);
    expect(() => new PrismaInboxStore({ client: prisma, transactionTimeoutMs: 10 })).toThrow(
      'Invalid option "transactionTimeoutMs": must be an integer from 1000 to 43200000',
    );
    expect(() => new PrismaInboxStore({ client: prisma, maxWaitMs: 0 })).toThrow('"maxWaitMs"');
  });
});

describe('PrismaInboxStore transaction mode', () => {
  it('runs the work once, commits it with the inbox row, and reports a redelivery as a duplicate', async () => {
    const k = key();
    let runs = 0;
    const work = async (tx: TestTransactionClient) => {
      runs += 1;
      await tx.$executeRaw`INSERT INTO shipments (id, event_id) VALUES (${randomUUID()}, ${k.eventId})`;
      return 'shipment-created';
    };

    expect(await store.runInTransaction(k, work, okGuard)).toEqual({ status: 'processed', result: 'shipment-created' });
    expect(await store.runInTransaction(k, work, okGuard)).toEqual({ status: 'duplicate' });

    expect(runs).toBe(1);
    expect(await shipmentCount(k.eventId)).toBe(1);
    expect(await inboxRow(k)).toMatchObject({ status: 'processed', lease_owner: null });
  });

  it("hands the work the service's own typed transaction client (any generated client fits)", async () => {
    const inferred = new PrismaInboxStore({ client: prisma });
    const k = key();
    const result = await inferred.runInTransaction(
      k,
      (tx) => tx.sqsInbox.count({ where: { eventId: k.eventId } }),
      okGuard,
    );
    // The work sees its own transaction's inbox row.
    expect(result).toEqual({ status: 'processed', result: 1 });
  });

  it('keeps consumers apart: the same event id under another consumer runs again', async () => {
    const k = key('a');
    await store.runInTransaction(k, async () => 1, okGuard);
    expect(await store.runInTransaction({ consumer: 'b', eventId: k.eventId }, async () => 2, okGuard)).toEqual({
      status: 'processed',
      result: 2,
    });
  });

  it('rolls back the work and the inbox row when the work throws, so a redelivery runs again', async () => {
    const k = key();
    const failing = store.runInTransaction(
      k,
      async (tx) => {
        await tx.$executeRaw`INSERT INTO shipments (id, event_id) VALUES (${randomUUID()}, ${k.eventId})`;
        throw new Error('label service down');
      },
      okGuard,
    );
    await expect(failing).rejects.toThrow('label service down');
    expect(await shipmentCount(k.eventId)).toBe(0);
    expect(await inboxRow(k)).toBeUndefined();

    expect(await store.runInTransaction(k, async () => 'second try', okGuard)).toEqual({
      status: 'processed',
      result: 'second try',
    });
  });

  it('rolls back when assertCanCommit throws (lease lost), after the work ran', async () => {
    const k = key();
    const leaseLost = new Error('lease lost');
    const guard: CommitGuard = {
      signal: new AbortController().signal,
      assertCanCommit: () => {
        throw leaseLost;
      },
    };
    const run = store.runInTransaction(
      k,
      async (tx) => {
        await tx.$executeRaw`INSERT INTO shipments (id, event_id) VALUES (${randomUUID()}, ${k.eventId})`;
      },
      guard,
    );
    await expect(run).rejects.toBe(leaseLost);
    expect(await shipmentCount(k.eventId)).toBe(0);
    expect(await inboxRow(k)).toBeUndefined();
  });

  describe('two consumers racing on one event, on separate clients', () => {
    const race = twoStores('inbox-race-a', 'inbox-race-b');

    it('runs the work exactly once: the second waits on the key, then sees the duplicate', async () => {
      const k = key();
      const inside = gate();
      const release = gate();
      const ran: string[] = [];

      const first = race.storeA.runInTransaction(
        k,
        async (tx) => {
          ran.push('a');
          await tx.$executeRaw`INSERT INTO shipments (id, event_id) VALUES (${randomUUID()}, ${k.eventId})`;
          inside.open();
          await release.promise;
          return 'a';
        },
        okGuard,
      );
      await inside.promise;
      const second = race.storeB.runInTransaction(
        k,
        async () => {
          ran.push('b');
          return 'b';
        },
        okGuard,
      );
      await waitUntil(
        async () => (await sessionsWaitingOnLock(env.database.url, 'inbox-race-b')) === 1,
        'the second consumer waits on the inbox key',
      );
      release.open();

      expect(await first).toEqual({ status: 'processed', result: 'a' });
      expect(await second).toEqual({ status: 'duplicate' });
      expect(ran).toEqual(['a']);
      expect(await shipmentCount(k.eventId)).toBe(1);
    });

    it('lets the second run when the first rolls back', async () => {
      const k = key();
      const inside = gate();
      const release = gate();

      const first = race.storeA.runInTransaction(
        k,
        async () => {
          inside.open();
          await release.promise;
          throw new Error('first failed');
        },
        okGuard,
      );
      await inside.promise;
      const second = race.storeB.runInTransaction(
        k,
        async (tx) => {
          await tx.$executeRaw`INSERT INTO shipments (id, event_id) VALUES (${randomUUID()}, ${k.eventId})`;
          return 'b';
        },
        okGuard,
      );
      await waitUntil(
        async () => (await sessionsWaitingOnLock(env.database.url, 'inbox-race-b')) === 1,
        'the second consumer waits on the inbox key',
      );
      release.open();

      await expect(first).rejects.toThrow('first failed');
      expect(await second).toEqual({ status: 'processed', result: 'b' });
      expect(await shipmentCount(k.eventId)).toBe(1);
    });
  });
});

describe('PrismaInboxStore lease mode', () => {
  it('acquires a free key, reports busy to others while the lease lives, and completed after completion', async () => {
    const k = key('shipping.label');
    expect(await store.acquireLease(k, 'worker-1', 60_000)).toBe('acquired');
    expect(await store.acquireLease(k, 'worker-2', 60_000)).toBe('busy');
    expect(await inboxRow(k)).toMatchObject({ status: 'leased', lease_owner: 'worker-1', processed_at: null });

    await store.completeLease(k, 'worker-1');
    expect(await inboxRow(k)).toMatchObject({ status: 'processed', lease_owner: null, lease_expires_at: null });
    expect(await store.acquireLease(k, 'worker-2', 60_000)).toBe('completed');
    expect(await store.acquireLease(k, 'worker-1', 60_000)).toBe('completed');
  });

  it('lets another owner take over an expired lease', async () => {
    const k = await leaseTakenOver();
    expect(await inboxRow(k)).toMatchObject({ lease_owner: 'worker-2' });
    expect(await store.renewLease(k, 'worker-1', 60_000)).toBe(false);
  });

  it('renews only for the holder, extending the expiry', async () => {
    const k = key('shipping.label');
    await store.acquireLease(k, 'worker-1', 1_000);
    const before = (await inboxRow(k))?.lease_expires_at as Date;
    expect(await store.renewLease(k, 'worker-1', 600_000)).toBe(true);
    const after = (await inboxRow(k))?.lease_expires_at as Date;
    expect(after.getTime()).toBeGreaterThan(before.getTime() + 500_000);
    expect(await store.renewLease(k, 'worker-2', 600_000)).toBe(false);
  });

  it('re-acquiring its own live lease succeeds (a retry of the same attempt)', async () => {
    const k = key('shipping.label');
    expect(await store.acquireLease(k, 'worker-1', 60_000)).toBe('acquired');
    expect(await store.acquireLease(k, 'worker-1', 60_000)).toBe('acquired');
  });

  it('releases only for the holder, so a redelivery can run the work again', async () => {
    const k = key('shipping.label');
    await store.acquireLease(k, 'worker-1', 60_000);
    await store.releaseLease(k, 'worker-2');
    expect(await store.acquireLease(k, 'worker-2', 60_000)).toBe('busy');

    await store.releaseLease(k, 'worker-1');
    expect(await inboxRow(k)).toBeUndefined();
    expect(await store.acquireLease(k, 'worker-2', 60_000)).toBe('acquired');
  });

  it('never releases a completed event', async () => {
    const k = key('shipping.label');
    await store.acquireLease(k, 'worker-1', 60_000);
    await store.completeLease(k, 'worker-1');
    await store.releaseLease(k, 'worker-1');
    expect(await store.acquireLease(k, 'worker-1', 60_000)).toBe('completed');
  });

  it('validates keys, owners and lease lengths', async () => {
    await expect(store.acquireLease({ consumer: '', eventId: 'e' }, 'w', 1000)).rejects.toThrow('"key.consumer"');
    await expect(store.acquireLease(key(), '', 1000)).rejects.toThrow('"owner"');
    await expect(store.acquireLease(key(), 'w', 0)).rejects.toThrow('"leaseMs": must be an integer from 1 to 43200000');
  });
});

describe('PrismaInboxStore: lost leases, racing owners and the transaction timeout', () => {
  const race = twoStores('inbox-lease-a', 'inbox-lease-b');

  it('completeLease by an owner that lost its lease still records the work as done, and the new owner learns it', async () => {
    const k = await leaseTakenOver();

    // worker-1 finished its work (the label exists) after its lease ran out.
    await store.completeLease(k, 'worker-1');

    expect(await inboxRow(k)).toMatchObject({ status: 'processed', lease_owner: null, lease_expires_at: null });
    expect(await store.renewLease(k, 'worker-2', 60_000)).toBe(false);
    expect(await store.acquireLease(k, 'worker-2', 60_000)).toBe('completed');
    // worker-2 completing too changes nothing.
    const processedAt = (await inboxRow(k))?.processed_at as Date;
    await store.completeLease(k, 'worker-2');
    expect(await inboxRow(k)).toMatchObject({ status: 'processed', processed_at: processedAt });
  });

  it('two owners racing acquireLease on one key: exactly one acquires, the other is told busy', async () => {
    for (let round = 0; round < 5; round += 1) {
      const k = key('shipping.label');
      // A third session holds the key (uncommitted), so both owners queue on it and then go at once.
      const blocker = new pg.Client({ connectionString: env.database.url });
      await blocker.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query(
          "INSERT INTO sqs_inbox (consumer, event_id, status, lease_owner, lease_expires_at) VALUES ($1, $2, 'leased', 'blocker', now())",
          [k.consumer, k.eventId],
        );
        const a = race.storeA.acquireLease(k, 'owner-a', 60_000);
        const b = race.storeB.acquireLease(k, 'owner-b', 60_000);
        await waitUntil(
          async () =>
            (await sessionsWaitingOnLock(env.database.url, 'inbox-lease-a')) === 1 &&
            (await sessionsWaitingOnLock(env.database.url, 'inbox-lease-b')) === 1,
          'both owners wait on the key',
        );
        await blocker.query('ROLLBACK');

        const outcomes = await Promise.all([a, b]);
        expect([...outcomes].sort()).toEqual(['acquired', 'busy']);
        const winner = outcomes[0] === 'acquired' ? 'owner-a' : 'owner-b';
        expect(await inboxRow(k)).toMatchObject({ status: 'leased', lease_owner: winner });
      } finally {
        await blocker.end();
      }
    }
  });

  it('rolls back work that outlives transactionTimeoutMs, freeing the key for a redelivery while the work still runs', async () => {
    const k = key();
    const slow = new PrismaInboxStore({ client: race.clientA, transactionTimeoutMs: 1_000 });
    const inside = gate();
    const release = gate();
    const attempt = slow.runInTransaction(
      k,
      async (tx) => {
        await tx.$executeRaw`INSERT INTO shipments (id, event_id) VALUES (${randomUUID()}, ${k.eventId})`;
        inside.open();
        await release.promise;
        return 'late';
      },
      okGuard,
    );
    let redelivery: Promise<unknown> | undefined;
    try {
      await inside.promise;
      // The redelivery waits on the inbox key until Prisma rolls the first transaction back at its timeout.
      redelivery = race.storeB.runInTransaction(
        k,
        async (tx) => {
          await tx.$executeRaw`INSERT INTO shipments (id, event_id) VALUES (${randomUUID()}, ${k.eventId})`;
          return 'again';
        },
        okGuard,
      );
      expect(await settlesWithin(redelivery, 10_000)).toBe(true);
      expect(await redelivery).toEqual({ status: 'processed', result: 'again' });
    } finally {
      release.open();
    }
    // The late work cannot commit any more.
    await expect(attempt).rejects.toThrow(/transaction/i);
    expect(await shipmentCount(k.eventId)).toBe(1);
    expect(await inboxRow(k)).toMatchObject({ status: 'processed' });
  });
});

describe('PrismaInboxStore.deleteProcessedBefore', () => {
  it('deletes processed rows older than the cutoff, in batches, and keeps leases and newer rows', async () => {
    const batched = new PrismaInboxStore({ client: prisma, deleteBatchSize: 2 });
    const consumer = `cleanup-${randomUUID()}`;
    const old = Array.from({ length: 5 }, () => ({ consumer, eventId: randomUUID() }));
    for (const k of old) await store.runInTransaction(k, async () => undefined, okGuard);
    await query(
      env.database.url,
      "UPDATE sqs_inbox SET processed_at = now() - interval '30 days' WHERE consumer = $1",
      [consumer],
    );
    const fresh = { consumer, eventId: randomUUID() };
    await store.runInTransaction(fresh, async () => undefined, okGuard);
    const leased = { consumer, eventId: randomUUID() };
    await store.acquireLease(leased, 'w', 60_000);

    const deleted = await batched.deleteProcessedBefore(new Date(Date.now() - 7 * 24 * 3600_000));

    expect(deleted).toBeGreaterThanOrEqual(5);
    const left = await query<{ event_id: string }>(
      env.database.url,
      'SELECT event_id FROM sqs_inbox WHERE consumer = $1',
      [consumer],
    );
    expect(left.map((r) => r.event_id).sort()).toEqual([fresh.eventId, leased.eventId].sort());
  });

  it('rejects an invalid cutoff', async () => {
    await expect(store.deleteProcessedBefore(new Date('nope'))).rejects.toBeInstanceOf(InvalidOptionError);
  });
});
