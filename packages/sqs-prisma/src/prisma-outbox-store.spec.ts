import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Envelope, OutboxMessage } from '@sqsref/sqs-transport';
import { InvalidOptionError } from './errors.js';
import { addManyToOutbox, addToOutbox } from './outbox-writer.js';
import { PrismaOutboxStore } from './prisma-outbox-store.js';
import { migratedTestDatabase, query } from '../test/support/database.js';
import { prismaClientFor, type TestPrismaClient } from '../test/support/prisma.js';
import { settlesWithin, waitUntil } from '../test/support/wait.js';

let env: Awaited<ReturnType<typeof migratedTestDatabase>>;
let prisma: TestPrismaClient;
let store: PrismaOutboxStore;

beforeAll(async () => {
  env = await migratedTestDatabase('outbox_store');
  prisma = prismaClientFor(env.database.url);
  store = new PrismaOutboxStore({ client: prisma });
});

afterAll(async () => {
  await store?.close();
  await prisma?.$disconnect();
  await env?.close();
});

beforeEach(async () => {
  // Each test starts from an empty outbox: claims see the whole table.
  await query(env.database.url, 'DELETE FROM sqs_outbox');
});

function envelope(type = 'order.placed', payload: unknown = {}): Envelope {
  const id = randomUUID();
  return { id, type, version: 1, occurredAt: new Date().toISOString(), correlationId: id, causationId: null, payload };
}

/** Writes events for `group` (or none) and returns their ids in order. */
async function write(
  count: number,
  group: string | null,
  queue = group ? 'order-events.fifo' : 'audit-events',
): Promise<string[]> {
  const events = Array.from({ length: count }, () => envelope());
  await addManyToOutbox(
    prisma,
    events.map((e) => ({ queue, groupId: group, envelope: e })),
  );
  return events.map((e) => e.id);
}

const ids = (messages: OutboxMessage[]) => messages.map((m) => m.id);

describe('PrismaOutboxStore options', () => {
  it('validates the client and numeric options', () => {
    expect(() => new PrismaOutboxStore({ client: {} as never })).toThrow(InvalidOptionError);
    expect(() => new PrismaOutboxStore({ client: prisma, maxErrorLength: 5 })).toThrow(
      '"maxErrorLength": must be an integer from 100 to 100000',
    );
    expect(() => new PrismaOutboxStore({ client: prisma, listenUrl: 'http://x' })).toThrow('"listenUrl"');
  });

  it('validates claim arguments', async () => {
    await expect(store.claim('', 10, 1000)).rejects.toThrow('"owner"');
    await expect(store.claim('r', 0, 1000)).rejects.toThrow('"limit": must be an integer from 1 to 10000');
    await expect(store.claim('r', 10, 0)).rejects.toThrow('"leaseMs"');
  });
});

describe('PrismaOutboxStore.claim', () => {
  it('returns sendable rows oldest first, as OutboxMessages, and records the claim', async () => {
    const event = envelope('order.placed', { orderId: 'o-1' });
    await addToOutbox(prisma, {
      queue: 'order-events.fifo',
      groupId: 'o-1',
      envelope: event,
      attributes: { traceparent: 't' },
    });
    const loose = await write(2, null);

    const claimed = await store.claim('relay-1', 10, 30_000);

    expect(ids(claimed)).toEqual([event.id, ...loose]);
    expect(claimed[0]).toEqual({
      id: event.id,
      queue: 'order-events.fifo',
      groupId: 'o-1',
      deduplicationId: event.id,
      body: JSON.stringify(event),
      attributes: { type: 'order.placed', traceparent: 't' },
      attempts: 0,
      createdAt: expect.any(Date),
    });
    const rows = await query(
      env.database.url,
      "SELECT claimed_by, claimed_until > now() + interval '20 seconds' AS live FROM sqs_outbox",
    );
    expect(rows.every((r) => r.claimed_by === 'relay-1' && r.live === true)).toBe(true);
    expect(await store.claim('relay-2', 10, 30_000)).toEqual([]);
  });

  it('respects the limit and returns every ungrouped row independently', async () => {
    const loose = await write(5, null);
    expect(ids(await store.claim('r1', 3, 30_000))).toEqual(loose.slice(0, 3));
    expect(ids(await store.claim('r2', 3, 30_000))).toEqual(loose.slice(3));
  });

  it('offers only the oldest unsent row of each group, and the next one only after it is sent', async () => {
    const a = await write(3, 'order-a');
    const b = await write(2, 'order-b');

    const first = await store.claim('r1', 10, 30_000);
    expect(ids(first)).toEqual([a[0], b[0]]);
    // Heads are claimed: nothing else of either group is claimable, by anyone.
    expect(await store.claim('r2', 10, 30_000)).toEqual([]);

    await store.markSent('r1', [a[0] as string]);
    expect(ids(await store.claim('r2', 10, 30_000))).toEqual([a[1]]);
  });

  it('keeps the same group id on different queues apart', async () => {
    const q1 = await write(1, 'same', 'one.fifo');
    const q2 = await write(1, 'same', 'two.fifo');
    expect(ids(await store.claim('r', 10, 30_000))).toEqual([q1[0], q2[0]]);
  });

  it('gives an expired claim to another relay', async () => {
    const [id] = await write(1, 'order-a');
    await store.claim('r1', 10, 30_000);
    await query(env.database.url, "UPDATE sqs_outbox SET claimed_until = now() - interval '1 second'");
    const claimed = await store.claim('r2', 10, 30_000);
    expect(ids(claimed)).toEqual([id]);
    // The first relay's late markSent no longer applies; the second relay owns the row.
    await store.markSent('r1', [id as string]);
    expect((await query(env.database.url, 'SELECT status, claimed_by FROM sqs_outbox'))[0]).toEqual({
      status: 'pending',
      claimed_by: 'r2',
    });
  });

  it('skips rows another transaction has locked, without waiting, and never jumps ahead in their group', async () => {
    const a = await write(2, 'order-a');
    const b = await write(1, 'order-b');
    const locker = new pg.Client({ connectionString: env.database.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM sqs_outbox WHERE id = $1 FOR UPDATE', [a[0]]);

      const claimed = await store.claim('r1', 10, 30_000);

      expect(ids(claimed)).toEqual(b);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    expect(ids(await store.claim('r2', 10, 30_000))).toEqual([a[0]]);
  });
});

describe('PrismaOutboxStore.claim with maxPerGroup (runs of a group)', () => {
  it('claims consecutive rows of a group from its oldest unsent row, up to maxPerGroup, oldest first across groups', async () => {
    const a = await write(5, 'order-a');
    const b = await write(2, 'order-b');
    const loose = await write(1, null);

    expect(ids(await store.claim('r1', 100, 30_000, 3))).toEqual([...a.slice(0, 3), ...b, ...loose]);
    // The group is held by r1's live claim: nobody gets its later rows.
    expect(await store.claim('r2', 100, 30_000, 3)).toEqual([]);
    await store.markSent('r1', a.slice(0, 3));
    expect(ids(await store.claim('r2', 100, 30_000, 3))).toEqual(a.slice(3));
  });

  it('takes the limit oldest first, so a long group does not crowd the others out', async () => {
    const a = await write(4, 'order-a');
    const b = await write(4, 'order-b');
    expect(ids(await store.claim('r1', 5, 30_000, 10))).toEqual([...a, b[0]]);
  });

  it('ends a run before a row that waits for a retry, and before a parked row', async () => {
    const a = await write(4, 'order-a');
    await query(env.database.url, "UPDATE sqs_outbox SET next_attempt_at = now() + interval '1 hour' WHERE id = $1", [
      a[2],
    ]);
    const b = await write(3, 'order-b');
    await query(env.database.url, "UPDATE sqs_outbox SET status = 'parked' WHERE id = $1", [b[1]]);

    expect(ids(await store.claim('r1', 100, 30_000, 10))).toEqual([...a.slice(0, 2), b[0]]);
  });

  it('never claims past a row another transaction has locked, and nothing of a group whose oldest row is locked', async () => {
    const a = await write(5, 'order-a');
    const b = await write(3, 'order-b');
    const locker = new pg.Client({ connectionString: env.database.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM sqs_outbox WHERE id = ANY($1) FOR UPDATE', [[a[2], b[0]]]);

      expect(ids(await store.claim('r1', 100, 30_000, 10))).toEqual(a.slice(0, 2));
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    expect(ids(await store.claim('r2', 100, 30_000, 10))).toEqual(b);
  });

  it('release drops only the owner’s claim on pending rows, without counting an attempt', async () => {
    const a = await write(3, 'order-a');
    await store.claim('r1', 100, 30_000, 10);
    await store.release('r2', a);
    expect(await store.claim('r3', 100, 30_000, 10)).toEqual([]);
    await store.release('r1', a);
    const rows = await query(env.database.url, 'SELECT claimed_by, attempts FROM sqs_outbox ORDER BY seq');
    expect(rows).toEqual(a.map(() => ({ claimed_by: null, attempts: 0 })));
    expect(ids(await store.claim('r3', 100, 30_000, 10))).toEqual(a);
  });

  it('validates maxPerGroup', async () => {
    await expect(store.claim('r', 10, 1000, 0)).rejects.toThrow('"maxPerGroup": must be an integer from 1 to 10000');
  });
});

describe('PrismaOutboxStore.markSent', () => {
  it('marks only rows the owner holds, and clears the claim', async () => {
    const [mine, theirs] = await write(2, null);
    await store.claim('r1', 1, 30_000);
    await store.claim('r2', 1, 30_000);
    await store.markSent('r1', [mine as string, theirs as string]);
    await store.markSent('r1', []);
    const rows = await query(
      env.database.url,
      'SELECT id, status, claimed_by, sent_at IS NOT NULL AS has_sent_at FROM sqs_outbox ORDER BY seq',
    );
    expect(rows).toEqual([
      { id: mine, status: 'sent', claimed_by: null, has_sent_at: true },
      { id: theirs, status: 'pending', claimed_by: 'r2', has_sent_at: false },
    ]);
  });
});

describe('PrismaOutboxStore.markFailed', () => {
  it('schedules a retry: the row (and its group) waits until due, with the attempt and error recorded', async () => {
    const a = await write(2, 'order-a');
    await store.claim('r1', 10, 30_000);
    await store.markFailed('r1', [{ id: a[0] as string, error: 'throttled', retryAt: new Date(Date.now() + 60_000) }]);

    expect(await store.claim('r1', 10, 30_000)).toEqual([]);
    const [row] = await query(
      env.database.url,
      'SELECT status, attempts, last_error, claimed_by FROM sqs_outbox WHERE id = $1',
      [a[0]],
    );
    expect(row).toEqual({ status: 'pending', attempts: 1, last_error: 'throttled', claimed_by: null });

    // Due now: it comes back first, with its attempt count.
    await query(env.database.url, "UPDATE sqs_outbox SET next_attempt_at = now() - interval '1 second' WHERE id = $1", [
      a[0],
    ]);
    const [again] = await store.claim('r2', 10, 30_000);
    expect(again).toMatchObject({ id: a[0], attempts: 1 });
  });

  it('parks a row on a null retry time: its group stops, other groups and ungrouped rows go on', async () => {
    const a = await write(2, 'order-a');
    const b = await write(2, 'order-b');
    await store.claim('r1', 10, 30_000);
    await store.markFailed('r1', [{ id: a[0] as string, error: 'x'.repeat(5_000), retryAt: null }]);
    await store.markSent('r1', [b[0] as string]);
    const loose = await write(1, null);

    expect(ids(await store.claim('r1', 10, 30_000))).toEqual([b[1], loose[0]]);
    const [parked] = await query(
      env.database.url,
      'SELECT status, attempts, length(last_error) AS len FROM sqs_outbox WHERE id = $1',
      [a[0]],
    );
    expect(parked).toEqual({ status: 'parked', attempts: 1, len: 2000 });
    // Never a later row of the parked group.
    await store.markSent('r1', [b[1] as string, loose[0] as string]);
    expect(await store.claim('r1', 10, 30_000)).toEqual([]);
  });

  it('ignores failures reported by a relay that no longer holds the row', async () => {
    const [id] = await write(1, null);
    await store.claim('r1', 1, 30_000);
    await store.markFailed('r2', [{ id: id as string, error: 'not mine', retryAt: null }]);
    expect((await query(env.database.url, 'SELECT status, claimed_by FROM sqs_outbox'))[0]).toEqual({
      status: 'pending',
      claimed_by: 'r1',
    });
  });

  it('rejects an invalid retry time', async () => {
    await expect(store.markFailed('r1', [{ id: 'x', error: 'e', retryAt: new Date('nope') }])).rejects.toThrow(
      '"failures[0].retryAt"',
    );
  });
});

describe('PrismaOutboxStore.deleteSentBefore', () => {
  it('deletes sent rows older than the cutoff, in batches, and nothing unsent', async () => {
    const batched = new PrismaOutboxStore({ client: prisma, deleteBatchSize: 2 });
    const sent = await write(5, null);
    await store.claim('r', 5, 30_000);
    await store.markSent('r', sent);
    await query(env.database.url, "UPDATE sqs_outbox SET sent_at = now() - interval '2 days'");
    const pending = await write(1, null);

    expect(await batched.deleteSentBefore(new Date(Date.now() - 24 * 3600_000))).toBe(5);
    expect((await query(env.database.url, 'SELECT id FROM sqs_outbox')).map((r) => r.id)).toEqual(pending);
  });
});

describe('two relays claiming concurrently from one table', () => {
  it('never claim the same row, never a later row of a group before the earlier one is sent, and send everything in group order', async () => {
    const groups = Array.from({ length: 20 }, (_, i) => `order-${i}`);
    const expected = new Map<string, string[]>();
    for (const group of groups) expected.set(group, await write(10, group));
    const loose = await write(50, null);
    const total = groups.length * 10 + loose.length;

    const relays = ['relay-a', 'relay-b'].map((owner) => ({ owner, client: prismaClientFor(env.database.url, owner) }));
    const claimedBy = new Map<string, string>();
    const sentOrder = new Map<string, string[]>();
    const violations: string[] = [];
    const groupOf = new Map<string, string>();
    for (const [group, list] of expected) for (const id of list) groupOf.set(id, group);

    try {
      await Promise.all(
        relays.map(async ({ owner, client }) => {
          const relayStore = new PrismaOutboxStore({ client });
          let idleRounds = 0;
          while (claimedBy.size < total && idleRounds < 200) {
            const batch = await relayStore.claim(owner, 7, 30_000);
            idleRounds = batch.length === 0 ? idleRounds + 1 : 0;
            for (const message of batch) {
              if (claimedBy.has(message.id))
                violations.push(`${message.id} claimed by ${claimedBy.get(message.id)} and ${owner}`);
              claimedBy.set(message.id, owner);
              const group = groupOf.get(message.id);
              if (group) {
                const order = sentOrder.get(group) ?? [];
                const expectedNext = expected.get(group)?.[order.length];
                if (expectedNext !== message.id)
                  violations.push(`${owner} claimed ${message.id} of ${group} out of order`);
                // Recorded before the database says "sent", so a claim of the next row always finds it here.
                order.push(message.id);
                sentOrder.set(group, order);
              }
            }
            await relayStore.markSent(owner, ids(batch));
          }
        }),
      );
    } finally {
      await Promise.all(relays.map(({ client }) => client.$disconnect()));
    }

    expect(violations).toEqual([]);
    expect(claimedBy.size).toBe(total);
    for (const group of groups) expect(sentOrder.get(group)).toEqual(expected.get(group));
    const owners = new Set(claimedBy.values());
    expect(owners.size).toBe(2);
    expect(
      (await query(env.database.url, "SELECT count(*)::int AS n FROM sqs_outbox WHERE status = 'sent'"))[0],
    ).toEqual({ n: total });
  });
});

describe('PrismaOutboxStore.waitForWork without listenUrl', () => {
  it('waits out the timeout, or returns on abort', async () => {
    const started = Date.now();
    await store.waitForWork(30, new AbortController().signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);

    const controller = new AbortController();
    const waiting = store.waitForWork(60_000, controller.signal);
    controller.abort();
    expect(await settlesWithin(waiting, 1_000)).toBe(true);
  });
});

describe('PrismaOutboxStore.waitForWork with listenUrl', () => {
  let listening: PrismaOutboxStore;

  beforeAll(() => {
    listening = new PrismaOutboxStore({ client: prisma, listenUrl: env.database.url });
  });

  afterAll(async () => {
    await listening?.close();
  });

  it('wakes as soon as a row is committed, long before the timeout', async () => {
    const never = new AbortController().signal;
    // The first wait returns once the listener is up (rows may have been written before it listened).
    await listening.waitForWork(10_000, never);

    const started = Date.now();
    const woke = listening.waitForWork(60_000, never);
    await write(1, 'order-a');
    await woke;
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('remembers a commit that happened while nobody waited', async () => {
    const fresh = new PrismaOutboxStore({ client: prisma, listenUrl: env.database.url });
    const never = new AbortController().signal;
    try {
      await fresh.waitForWork(10_000, never); // returns once listening
      const { listener } = fresh as unknown as { listener: { client: pg.Client | null } };
      await waitUntil(() => listener.client !== null, 'the store listens');
      await fresh.waitForWork(0, never); // takes the wake that starting to listen leaves pending, if any
      // Nothing is pending now: a wait runs to its timeout.
      const quit = new AbortController();
      expect(await settlesWithin(fresh.waitForWork(60_000, quit.signal), 300)).toBe(false);
      quit.abort();
      // The NOTIFY arrives asynchronously: see it reach the store's own LISTEN connection (after the store's handler
      // ran), so that the next wait starts only after it, when nobody waited.
      const notified = new Promise<void>((resolve) => listener.client?.once('notification', () => resolve()));
      await write(1, null);
      await notified;
      expect(await settlesWithin(fresh.waitForWork(60_000, never), 5_000)).toBe(true);
    } finally {
      await fresh.close();
    }
  });

  it('does not wake for a rolled-back write', async () => {
    const never = new AbortController().signal;
    await listening.waitForWork(0, never); // consume anything pending
    const started = Date.now();
    await prisma
      .$transaction(async (tx) => {
        await addToOutbox(tx, { queue: 'q', envelope: envelope() });
        throw new Error('rollback');
      })
      .catch(() => undefined);
    await listening.waitForWork(300, never);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('returns at once when closed, and wakes a wait in progress', async () => {
    const other = new PrismaOutboxStore({ client: prisma, listenUrl: env.database.url });
    const never = new AbortController().signal;
    await other.waitForWork(10_000, never); // returns once listening
    const waiting = other.waitForWork(60_000, never);
    await other.close();
    expect(await settlesWithin(waiting, 1_000)).toBe(true);
    expect(await settlesWithin(other.waitForWork(60_000, never), 1_000)).toBe(true);
  });
});
