import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Envelope } from '@sqsref/sqs-transport';
import { InvalidOutboxEntryError } from './errors.js';
import { addManyToOutbox, addToOutbox } from './outbox-writer.js';
import { migratedTestDatabase, query } from '../test/support/database.js';
import { prismaClientFor, type TestPrismaClient } from '../test/support/prisma.js';
import { gate, settlesWithin, waitUntil } from '../test/support/wait.js';

let env: Awaited<ReturnType<typeof migratedTestDatabase>>;
let prisma: TestPrismaClient;

beforeAll(async () => {
  env = await migratedTestDatabase('outbox_writer');
  prisma = prismaClientFor(env.database.url);
  await query(env.database.url, 'CREATE TABLE orders (id text PRIMARY KEY)');
});

afterAll(async () => {
  await prisma?.$disconnect();
  await env?.close();
});

/** What createEnvelope() returns. */
function envelope(type = 'order.placed', payload: unknown = { orderId: 'o-1' }): Envelope {
  const id = randomUUID();
  return { id, type, version: 1, occurredAt: new Date().toISOString(), correlationId: id, causationId: null, payload };
}

async function outboxRows(where = 'true', values: unknown[] = []) {
  return query(env.database.url, `SELECT * FROM sqs_outbox WHERE ${where} ORDER BY seq`, values);
}

describe('addToOutbox', () => {
  it('writes the envelope as the body, its type as an attribute, and its id as the FIFO deduplication id', async () => {
    const event = envelope();
    await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO orders (id) VALUES (${randomUUID()})`;
      await addToOutbox(tx, {
        queue: 'order-events.fifo',
        groupId: 'o-1',
        envelope: event,
        attributes: { traceparent: '00-abc-def-01' },
      });
    });

    const [row] = await outboxRows('id = $1', [event.id]);
    expect(row).toMatchObject({
      id: event.id,
      queue: 'order-events.fifo',
      group_id: 'o-1',
      deduplication_id: event.id,
      attributes: { type: 'order.placed', traceparent: '00-abc-def-01' },
      status: 'pending',
      attempts: 0,
      claimed_by: null,
      sent_at: null,
    });
    expect(JSON.parse(row?.body as string)).toEqual(event);
  });

  it('stores no deduplication id or group for a standard queue', async () => {
    const event = envelope('order.audit');
    await addToOutbox(prisma, { queue: 'audit-events', envelope: event });
    expect((await outboxRows('id = $1', [event.id]))[0]).toMatchObject({ group_id: null, deduplication_id: null });
  });

  it('leaves no row when the business transaction rolls back', async () => {
    const event = envelope();
    const failing = prisma.$transaction(async (tx) => {
      await addToOutbox(tx, { queue: 'order-events.fifo', groupId: 'o-2', envelope: event });
      throw new Error('payment declined');
    });
    await expect(failing).rejects.toThrow('payment declined');
    expect(await outboxRows('id = $1', [event.id])).toEqual([]);
  });

  it('refuses entries SQS would refuse, writing nothing', async () => {
    const event = envelope();
    await expect(addToOutbox(prisma, { queue: 'order-events.fifo', envelope: event })).rejects.toThrow(
      'groupId is required for the FIFO queue "order-events.fifo"',
    );
    await expect(addToOutbox(prisma, { queue: 'audit-events', envelope: event, deduplicationId: 'x' })).rejects.toThrow(
      'deduplicationId is only allowed on FIFO queues',
    );
    await expect(addToOutbox(prisma, { queue: '', envelope: { ...event, type: '' } })).rejects.toMatchObject({
      code: 'INVALID_OUTBOX_ENTRY',
      problems: ['entry.queue must be a non-empty string', 'entry.envelope.type must be a non-empty string'],
    });
    const tooMany = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, 'v']));
    await expect(addToOutbox(prisma, { queue: 'q', envelope: event, attributes: tooMany })).rejects.toBeInstanceOf(
      InvalidOutboxEntryError,
    );
    expect(await outboxRows('id = $1', [event.id])).toEqual([]);
  });

  it('fails on a duplicate event id (the primary key)', async () => {
    const event = envelope();
    await addToOutbox(prisma, { queue: 'q', envelope: event });
    await expect(addToOutbox(prisma, { queue: 'q', envelope: event })).rejects.toThrow();
  });
});

describe('addManyToOutbox', () => {
  it('writes all entries in the given order (seq follows the array)', async () => {
    const events = Array.from({ length: 25 }, (_, i) => envelope('order.step', { i }));
    const group = `g-${randomUUID()}`;
    await prisma.$transaction(async (tx) => {
      await addManyToOutbox(
        tx,
        events.map((event, i) => ({
          queue: i % 2 ? 'a.fifo' : 'b.fifo',
          groupId: `${group}-${i % 3}`,
          envelope: event,
        })),
      );
    });
    const rows = await outboxRows('group_id LIKE $1', [`${group}%`]);
    expect(rows.map((r) => r.id)).toEqual(events.map((e) => e.id));
  });

  it('does nothing for an empty list, and names the bad entry', async () => {
    await addManyToOutbox(prisma, []);
    await expect(
      addManyToOutbox(prisma, [
        { queue: 'q', envelope: envelope() },
        { queue: 'x.fifo', envelope: envelope() },
      ]),
    ).rejects.toThrow('entries[1].groupId is required');
  });
});

describe('group ordering under concurrent writers', () => {
  let writerA: TestPrismaClient;
  let writerB: TestPrismaClient;

  beforeAll(() => {
    writerA = prismaClientFor(env.database.url, 'outbox-writer-a');
    writerB = prismaClientFor(env.database.url, 'outbox-writer-b');
  });

  afterAll(async () => {
    await writerA?.$disconnect();
    await writerB?.$disconnect();
  });

  it("makes a second writer of the same group wait for the first's commit, so seq order is commit order", async () => {
    const group = `order-${randomUUID()}`;
    const first = envelope('order.placed');
    const second = envelope('order.cancelled');
    const written = gate();
    const commit = gate();

    const a = writerA.$transaction(async (tx) => {
      await addToOutbox(tx, { queue: 'order-events.fifo', groupId: group, envelope: first });
      written.open();
      await commit.promise;
    });
    await written.promise;
    const b = writerB.$transaction(async (tx) => {
      await addToOutbox(tx, { queue: 'order-events.fifo', groupId: group, envelope: second });
    });
    await waitUntil(async () => {
      const rows = await query<{ n: string }>(
        env.database.url,
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'outbox-writer-b' AND wait_event = 'advisory'",
      );
      return Number(rows[0]?.n) === 1;
    }, 'the second writer waits on the group lock');
    commit.open();
    await Promise.all([a, b]);

    const rows = await outboxRows('group_id = $1', [group]);
    expect(rows.map((r) => r.id)).toEqual([first.id, second.id]);
  });

  it('does not make writers of different groups wait for each other', async () => {
    const written = gate();
    const commit = gate();
    const first = envelope();
    const second = envelope();
    const a = writerA.$transaction(async (tx) => {
      await addToOutbox(tx, { queue: 'order-events.fifo', groupId: `x-${randomUUID()}`, envelope: first });
      written.open();
      await commit.promise;
    });
    try {
      await written.promise;
      const b = writerB.$transaction(async (tx) => {
        await addToOutbox(tx, { queue: 'order-events.fifo', groupId: `y-${randomUUID()}`, envelope: second });
      });
      // B commits while A still holds its group lock and has not committed.
      expect(await settlesWithin(b, 10_000)).toBe(true);
      await b;
      expect((await outboxRows('id = ANY($1)', [[first.id, second.id]])).map((row) => row.id)).toEqual([second.id]);
    } finally {
      commit.open();
      await a;
    }
  });
});
