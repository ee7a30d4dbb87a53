import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { createEnvelope, OutboxRelay, parseEnvelope } from '@sqsref/sqs-transport';
import type { RelayEvents } from '@sqsref/sqs-transport';
import type { SqsEmulator } from '@sqsref/sqs-transport/testing';
import { FakeSqsClient, startSqsEmulator, waitFor } from '@sqsref/sqs-transport/testing';
import { addManyToOutbox, PrismaOutboxStore } from '../src/index.js';
import { sqsPrismaPaths } from '../src/paths.js';
import type { PostgresServer } from '../src/testing/index.js';
import { createMigratedDatabase, startPostgres } from '../src/testing/index.js';
import type { TestPrismaClient } from './support/prisma.js';
import { prismaClientFor } from './support/prisma.js';

// A hot order group: many pending rows of one group, sent in runs of SendMessageBatch calls. Order within the group
// must hold when an entry in the middle of a call fails, and when two relays race for the group.

let postgres: PostgresServer;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await postgres.stop();
});

async function outboxWithHotGroup(
  name: string,
  queue: string,
  rows: number,
): Promise<{ prisma: TestPrismaClient; ids: string[] }> {
  const database = await createMigratedDatabase(postgres.url, sqsPrismaPaths.migrationsDir, name);
  const prisma = prismaClientFor(database.url);
  cleanups.push(async () => {
    await prisma.$disconnect();
    await database.drop();
  });
  const envelopes = Array.from({ length: rows }, (_, seq) =>
    createEnvelope({ type: 'order.changed', payload: { seq } }),
  );
  await addManyToOutbox(
    prisma,
    envelopes.map((envelope) => ({ queue, groupId: 'order-hot', envelope })),
  );
  return { prisma, ids: envelopes.map((envelope) => envelope.id) };
}

/** Runs a relay until every id was marked sent; returns the ids in the order they were marked. */
async function relayUntilMarked(relay: OutboxRelay, count: number): Promise<string[]> {
  const marked: string[] = [];
  relay.events.on('marked', (event) => marked.push(...event.ids));
  relay.start();
  try {
    await waitFor(() => marked.length >= count, { timeoutMs: 60_000, description: `${count} rows marked sent` });
  } finally {
    await relay.stop();
  }
  return marked;
}

describe('a hot group whose batch fails in the middle (real PostgreSQL, fake SQS with injected faults)', () => {
  /** Fails the entry of row `failing` on its first attempt only. */
  function failOnce(fake: FakeSqsClient, id: string): void {
    let failed = false;
    fake.failSend = (entry) => {
      if (failed || !entry.body.includes(id)) return undefined;
      failed = true;
      return 'InternalError';
    };
  }

  it('when SQS refuses the rest of the group too: every row reaches the queue once and in order, none marked ahead', async () => {
    const { prisma, ids } = await outboxWithHotGroup('relay_order_refuses', 'hot.fifo', 60);
    const fake = new FakeSqsClient();
    const url = fake.createQueue('hot.fifo');
    fake.failRestOfGroupAfterSendFailure = true;
    failOnce(fake, ids[13] as string);
    const relay = new OutboxRelay({
      store: new PrismaOutboxStore({ client: prisma }),
      client: fake.asClient(),
      queueUrls: { 'hot.fifo': url },
      batchSize: 30,
      retryBaseDelayMs: 0,
      idleWaitMs: 10,
    });
    const failed: string[] = [];
    relay.events.on('failed', (event) => failed.push(event.id));

    const marked = await relayUntilMarked(relay, ids.length);

    expect(failed).toEqual([ids[13]]);
    expect(marked).toEqual(ids);
    expect(fake.messages(url).map((message) => message.deduplicationId)).toEqual(ids);
  });

  it('when SQS takes later entries of the group anyway: none is marked ahead, each is reported, and the resend is deduplicated', async () => {
    const { prisma, ids } = await outboxWithHotGroup('relay_order_accepts', 'hot.fifo', 60);
    const fake = new FakeSqsClient();
    const url = fake.createQueue('hot.fifo');
    failOnce(fake, ids[13] as string);
    const relay = new OutboxRelay({
      store: new PrismaOutboxStore({ client: prisma }),
      client: fake.asClient(),
      queueUrls: { 'hot.fifo': url },
      batchSize: 30,
      retryBaseDelayMs: 0,
      idleWaitMs: 10,
    });
    const overtook: Array<RelayEvents['overtook']> = [];
    relay.events.on('overtook', (event) => overtook.push(event));

    const marked = await relayUntilMarked(relay, ids.length);

    expect(marked).toEqual(ids);
    // Rows 14..19 shared the call (rows 10..19) in which row 13 failed.
    expect(overtook).toEqual(ids.slice(14, 20).map((id) => ({ id, queue: 'hot.fifo', behind: ids[13] })));
    const onQueue = fake.messages(url).map((message) => message.deduplicationId);
    expect([...onQueue].sort()).toEqual([...ids].sort());
    expect(onQueue.slice(0, 13)).toEqual(ids.slice(0, 13));
  });

  it('with maxPerGroup 1 no two rows of a group share a call, so even then the queue keeps the order', async () => {
    const { prisma, ids } = await outboxWithHotGroup('relay_order_one', 'hot.fifo', 25);
    const fake = new FakeSqsClient();
    const url = fake.createQueue('hot.fifo');
    failOnce(fake, ids[13] as string);
    const relay = new OutboxRelay({
      store: new PrismaOutboxStore({ client: prisma }),
      client: fake.asClient(),
      queueUrls: { 'hot.fifo': url },
      maxPerGroup: 1,
      retryBaseDelayMs: 0,
      idleWaitMs: 10,
    });

    const marked = await relayUntilMarked(relay, ids.length);

    expect(marked).toEqual(ids);
    expect(fake.messages(url).map((message) => message.deduplicationId)).toEqual(ids);
  });
});

describe('two relays racing on one hot group (real PostgreSQL, fauxqs)', () => {
  let sqs: SqsEmulator;
  beforeAll(async () => {
    sqs = await startSqsEmulator();
  });
  afterAll(async () => {
    await sqs?.stop();
  });

  it('send each row once, in order, in batches of consecutive rows', async () => {
    const rows = 200;
    const { prisma, ids } = await outboxWithHotGroup('relay_order_race', 'race.fifo', rows);
    const queueUrl = (await sqs.createQueues({ queues: [{ name: 'race.fifo' }] })).get('race.fifo')?.url ?? '';
    const sendsPerRow = new Map<string, number>();
    const relaysSending = new Set<string>();
    let batchCalls = 0;
    const counting = {
      // Calls take 0, 15 or 30 ms in turn, so a relay that sent while the other held the group would overtake it.
      send: async (command: { constructor: { name: string } }, options?: unknown) => {
        if (command.constructor.name === 'SendMessageBatchCommand') {
          batchCalls += 1;
          await new Promise((resolve) => setTimeout(resolve, (batchCalls % 3) * 15));
        }
        return (sqs.client.send as (c: unknown, o?: unknown) => Promise<unknown>)(command, options);
      },
    } as unknown as SQSClient;
    const relays = [1, 2].map(() => {
      const relay = new OutboxRelay({
        store: new PrismaOutboxStore({ client: prisma }),
        client: counting,
        queueUrls: { 'race.fifo': queueUrl },
        // Passes of 10 rows, under batchSize: each relay pauses idleWaitMs after a pass, so the other gets turns.
        batchSize: 20,
        maxPerGroup: 10,
        idleWaitMs: 10,
      });
      relay.events.on('sent', (sent) => {
        relaysSending.add(relay.owner);
        sent.ids.forEach((id) => sendsPerRow.set(id, (sendsPerRow.get(id) ?? 0) + 1));
      });
      return relay;
    });
    relays.forEach((relay) => relay.start());
    const received: Message[] = [];
    try {
      await waitFor(
        async () => {
          const { Messages = [] } = await sqs.client.send(
            new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
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
          return received.length >= rows;
        },
        { timeoutMs: 60_000, description: `${rows} messages received` },
      );
      await waitFor(() => sendsPerRow.size === rows, { description: 'every row sent' });
    } finally {
      await Promise.all(relays.map((relay) => relay.stop()));
    }
    expect(received.map((message) => parseEnvelope(message.Body).id)).toEqual(ids);
    expect([...sendsPerRow.values()].every((count) => count === 1)).toBe(true);
    // Both took turns with the group, and it went out in calls of up to 10 consecutive rows, not one call per row.
    expect(relaysSending.size).toBe(2);
    expect(batchCalls).toBeLessThanOrEqual(rows / 10 + 10);
  }, 90_000);
});
