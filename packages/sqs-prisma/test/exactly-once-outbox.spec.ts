import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Message } from '@aws-sdk/client-sqs';
import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { HeldMessage } from '@sqsref/sqs-transport';
import { createEnvelope, OutboxRelay, parseEnvelope, SqsConsumer } from '@sqsref/sqs-transport';
import type { SqsEmulator } from '@sqsref/sqs-transport/testing';
import { HandlerSpy, startSqsEmulator, waitFor } from '@sqsref/sqs-transport/testing';
import type { OutboxEntry } from '../src/index.js';
import { addManyToOutbox, addToOutbox, PrismaInboxStore, PrismaOutboxStore } from '../src/index.js';
import { sqsPrismaPaths } from '../src/paths.js';
import type { PostgresServer } from '../src/testing/index.js';
import { createMigratedDatabase, startPostgres } from '../src/testing/index.js';
import type { RelayChildMessage } from './crash/relay-child.js';
import { runTsChild } from './support/child-process.js';
import { query } from './support/database.js';
import { createEffectsTable, effects } from './support/effects.js';
import type { TestPrismaClient, TestTransactionClient } from './support/prisma.js';
import { prismaClientFor } from './support/prisma.js';

let sqs: SqsEmulator;
let postgres: PostgresServer;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  [sqs, postgres] = await Promise.all([startSqsEmulator(), startPostgres()]);
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await Promise.all([sqs.stop(), postgres.stop()]);
});

async function setup(
  name: string,
  queue: { name: string; visibilityTimeoutSeconds?: number },
): Promise<{ databaseUrl: string; prisma: TestPrismaClient; queueUrl: string }> {
  const database = await createMigratedDatabase(postgres.url, sqsPrismaPaths.migrationsDir, name);
  await createEffectsTable(database.url);
  const prisma = prismaClientFor(database.url);
  cleanups.push(async () => {
    await prisma.$disconnect();
    await database.drop();
  });
  const queueUrl = (await sqs.createQueues({ queues: [queue] })).get(queue.name)?.url ?? '';
  return { databaseUrl: database.url, prisma, queueUrl };
}

function event(seq: number, group: string): ReturnType<typeof createEnvelope<{ seq: number; group: string }>> {
  return createEnvelope({ type: 'effect.requested', payload: { seq, group } });
}

async function onQueue(queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.client.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

/** Drains a queue with plain receives, deleting what it reads; returns the messages in receive order. */
async function drain(queueUrl: string, expected: number): Promise<Message[]> {
  const received: Message[] = [];
  await waitFor(
    async () => {
      const { Messages = [] } = await sqs.client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['MessageGroupId'],
        }),
      );
      received.push(...Messages);
      if (Messages.length > 0) {
        await sqs.client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
      }
      return received.length >= expected;
    },
    { timeoutMs: 30_000, description: `${expected} messages drained` },
  );
  return received;
}

/** A consumer core (no Nest) whose handler records one effect per event inside the inbox transaction. */
function inboxConsumer(
  prisma: TestPrismaClient,
  queueUrl: string,
  beforeWrite?: (message: HeldMessage) => void,
): { consumer: SqsConsumer; outcomes: HandlerSpy<boolean> } {
  const inbox = new PrismaInboxStore({ client: prisma });
  const outcomes = new HandlerSpy<boolean>();
  const consumer = new SqsConsumer(
    {
      endpoint: sqs.endpoint,
      queues: [{ url: queueUrl, pollers: 2, waitTimeSeconds: 1 }],
      retry: { baseDelaySeconds: 0, maxDelaySeconds: 0 },
    },
    async (message) => {
      const envelope = parseEnvelope(message.message.Body);
      const guard = { signal: message.signal, assertCanCommit: () => undefined };
      const outcome = await inbox.runInTransaction(
        { consumer: 'outbox-test', eventId: envelope.id },
        async (tx: TestTransactionClient) => {
          beforeWrite?.(message);
          const payload = envelope.payload as { seq: number; group: string };
          await tx.$executeRaw`INSERT INTO effects (event_id, note) VALUES (${envelope.id}, ${`${payload.group}:${payload.seq}`})`;
        },
        guard,
      );
      return { duplicate: outcome.status === 'duplicate' };
    },
  );
  consumer.events.on('processed', (processed) => outcomes.record(processed.duplicate));
  return { consumer, outcomes };
}

describe('the transactional outbox end to end (real PostgreSQL, fauxqs)', () => {
  it('a relay killed with SIGKILL in the middle of a batch: after a restart every committed event arrives and the inbox absorbs the resends', async () => {
    const { databaseUrl, prisma, queueUrl } = await setup('relay_crash', { name: 'relay-crash' });
    const envelopes = Array.from({ length: 200 }, (_, i) => event(i, 'none'));
    await prisma.$transaction(async (tx) =>
      addManyToOutbox(
        tx,
        envelopes.map((envelope) => ({ queue: 'relay-crash', envelope })),
      ),
    );
    const env = {
      DATABASE_URL: databaseUrl,
      SQS_ENDPOINT: sqs.endpoint,
      QUEUE_URLS: JSON.stringify({ 'relay-crash': queueUrl }),
      BATCH_SIZE: '50',
      LEASE_MS: '1000',
    };

    const crashing = runTsChild<RelayChildMessage>(new URL('./crash/relay-child.ts', import.meta.url), {
      ...env,
      CRASH: 'after-send',
    });
    expect((await crashing.exited).signal).toBe('SIGKILL');
    const sentBeforeCrash = crashing.messages.flatMap((message) => (message.kind === 'sent' ? message.ids : []));
    expect(sentBeforeCrash.length).toBeGreaterThan(0);
    expect(await query(databaseUrl, "SELECT id FROM sqs_outbox WHERE status = 'sent'")).toEqual([]); // sent, never marked

    const relay = new OutboxRelay({
      store: new PrismaOutboxStore({ client: prisma }),
      endpoint: sqs.endpoint,
      queueUrls: { 'relay-crash': queueUrl },
      leaseMs: 1_000,
      idleWaitMs: 50,
    });
    const { consumer, outcomes } = inboxConsumer(prisma, queueUrl);
    relay.start();
    await consumer.start();
    try {
      await outcomes.waitForCalls(200 + sentBeforeCrash.length, 30_000);
      const rows = await effects(databaseUrl);
      expect(rows).toHaveLength(200);
      expect(new Set(rows.map((row) => row.event_id))).toEqual(new Set(envelopes.map((envelope) => envelope.id)));
      expect(outcomes.calls.filter(Boolean)).toHaveLength(sentBeforeCrash.length); // every resend absorbed
      await waitFor(
        async () => (await query(databaseUrl, "SELECT 1 FROM sqs_outbox WHERE status <> 'sent'")).length === 0,
        { description: 'every row marked sent' },
      );
    } finally {
      await relay.stop();
      await consumer.stop();
    }
  }, 60_000);

  it('a rolled-back business transaction sends nothing', async () => {
    const { prisma, queueUrl } = await setup('rollback', { name: 'rollback' });
    const rolledBack = event(1, 'none');
    await expect(
      prisma.$transaction(async (tx) => {
        await addToOutbox(tx, { queue: 'rollback', envelope: rolledBack });
        throw new Error('the business change failed');
      }),
    ).rejects.toThrow('the business change failed');
    const committed = event(2, 'none');
    await prisma.$transaction(async (tx) => addToOutbox(tx, { queue: 'rollback', envelope: committed }));

    const relay = new OutboxRelay({
      store: new PrismaOutboxStore({ client: prisma }),
      endpoint: sqs.endpoint,
      queueUrls: { rollback: queueUrl },
    });
    expect(await relay.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(await relay.runOnce()).toMatchObject({ claimed: 0 });
    const [message] = await drain(queueUrl, 1);
    expect(parseEnvelope(message?.Body).id).toBe(committed.id);
    expect(await onQueue(queueUrl)).toBe(0);
  }, 30_000);

  it('keeps per-group order over the whole path: outbox, FIFO queue, lanes, inbox (with handler failures)', async () => {
    const { databaseUrl, prisma, queueUrl } = await setup('group_order', { name: 'group-order.fifo' });
    const groups = Array.from({ length: 20 }, (_, g) => `order-${g}`);
    // Separate business transactions, interleaved across groups, as a service would write them.
    for (let seq = 0; seq < 25; seq += 1) {
      await Promise.all(
        groups.map((group) =>
          prisma.$transaction(async (tx) =>
            addToOutbox(tx, { queue: 'group-order.fifo', groupId: group, envelope: event(seq, group) }),
          ),
        ),
      );
    }
    let calls = 0;
    const { consumer, outcomes } = inboxConsumer(prisma, queueUrl, () => {
      calls += 1;
      if (calls % 7 === 0) throw new Error('transient failure inside the inbox transaction');
    });
    const relay = new OutboxRelay({
      store: new PrismaOutboxStore({ client: prisma }),
      endpoint: sqs.endpoint,
      queueUrls: { 'group-order.fifo': queueUrl },
      idleWaitMs: 50,
    });
    relay.start();
    await consumer.start();
    try {
      await outcomes.waitForCalls(500, 60_000);
      const rows = await effects(databaseUrl);
      expect(rows).toHaveLength(500);
      for (const group of groups) {
        expect(
          rows.filter((row) => row.note.startsWith(`${group}:`)).map((row) => Number(row.note.split(':')[1])),
        ).toEqual(Array.from({ length: 25 }, (_, seq) => seq));
      }
    } finally {
      await relay.stop();
      await consumer.stop();
    }
  }, 90_000);

  it('two relays on one table never send the same row and never reorder a group', async () => {
    const { prisma, queueUrl } = await setup('two_relays', { name: 'two-relays.fifo' });
    const groups = Array.from({ length: 50 }, (_, g) => `g${g}`);
    const entries: OutboxEntry[] = [];
    for (let seq = 0; seq < 20; seq += 1)
      for (const group of groups)
        entries.push({ queue: 'two-relays.fifo', groupId: group, envelope: event(seq, group) });
    await prisma.$transaction(async (tx) => addManyToOutbox(tx, entries));

    const sendsPerRow = new Map<string, number>();
    const relays = [1, 2].map(() => {
      const relay = new OutboxRelay({
        store: new PrismaOutboxStore({ client: prisma }),
        endpoint: sqs.endpoint,
        queueUrls: { 'two-relays.fifo': queueUrl },
        batchSize: 20,
        idleWaitMs: 20,
      });
      relay.events.on('sent', (sent) => sent.ids.forEach((id) => sendsPerRow.set(id, (sendsPerRow.get(id) ?? 0) + 1)));
      return relay;
    });
    relays.forEach((relay) => relay.start());
    try {
      const messages = await drain(queueUrl, 1_000);
      await waitFor(() => sendsPerRow.size === 1_000, { description: 'every row sent' });
      expect([...sendsPerRow.values()].every((count) => count === 1)).toBe(true);
      expect(messages).toHaveLength(1_000);
      const seqs = new Map<string, number[]>();
      for (const message of messages) {
        const { seq, group } = parseEnvelope(message.Body).payload as { seq: number; group: string };
        seqs.set(group, [...(seqs.get(group) ?? []), seq]);
      }
      for (const group of groups) expect(seqs.get(group)).toEqual(Array.from({ length: 20 }, (_, seq) => seq));
    } finally {
      await Promise.all(relays.map((relay) => relay.stop()));
    }
  }, 90_000);
});
