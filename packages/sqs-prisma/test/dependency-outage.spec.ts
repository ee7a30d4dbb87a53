import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { Controller, Module, UseFilters } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, Payload } from '@nestjs/microservices';
import { PrismaPg } from '@prisma/adapter-pg';
import type { ConsumerEvents, SqsContext } from '@sqsref/sqs-transport';
import { createEnvelope, IdempotentEventPattern, SqsExceptionFilter, SqsServer } from '@sqsref/sqs-transport';
import type { SqsEmulator } from '@sqsref/sqs-transport/testing';
import { HandlerSpy, StallableProxy, startSqsEmulator, waitFor } from '@sqsref/sqs-transport/testing';
import { createBoundedPgPool, isDatabaseUnavailable, PrismaInboxStore } from '../src/index.js';
import { sqsPrismaPaths } from '../src/paths.js';
import type { PostgresServer } from '../src/testing/index.js';
import { createMigratedDatabase, startPostgres } from '../src/testing/index.js';
import { query } from './support/database.js';
import { createEffectsTable, effects } from './support/effects.js';
import type { TestTransactionClient } from './support/prisma.js';
import { PrismaClient } from './support/prisma.js';

const MAX_RECEIVE_COUNT = 3;
const GROUPS = 4;
const PER_GROUP = 3;

let sqs: SqsEmulator;
let postgres: PostgresServer;

beforeAll(async () => {
  [sqs, postgres] = await Promise.all([startSqsEmulator(), startPostgres()]);
});
afterAll(async () => {
  await Promise.all([sqs?.stop(), postgres?.stop()]);
});

/** Takes what is on a queue now (short polls until empty). */
async function drain(queueUrl: string): Promise<number> {
  let total = 0;
  for (;;) {
    const { Messages = [] } = await sqs.client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return total;
    total += Messages.length;
  }
}

describe('a database stall during consumption (real PostgreSQL behind a stallable proxy, fauxqs)', () => {
  it(`outlasts maxReceiveCount (${MAX_RECEIVE_COUNT}) deliveries' worth of failures: nothing dead-lettered, nothing lost, each event processed once, in group order`, async () => {
    const database = await createMigratedDatabase(postgres.url, sqsPrismaPaths.migrationsDir, 'outage');
    await createEffectsTable(database.url);
    const proxy = await StallableProxy.forUrl(database.url);
    const pool = createBoundedPgPool({
      connectionString: proxy.url(database.url),
      max: 4,
      // A short wait for connections makes the failures during the stall come quickly; statements get room, so a
      // loaded machine does not turn a slow INSERT after the stall into a failure of its own.
      connectTimeoutMs: 400,
      statementTimeoutMs: 2_000,
      queryTimeoutMs: 2_500,
    });
    const prisma = new PrismaClient({
      adapter: new PrismaPg(pool, { disposeExternalPool: true }),
      transactionOptions: { maxWait: 400, timeout: 5_000 },
    });
    const created = await sqs.createQueues({
      queues: [
        {
          name: 'outage.fifo',
          visibilityTimeoutSeconds: 6,
          deadLetter: { name: 'outage-dlq.fifo', maxReceiveCount: MAX_RECEIVE_COUNT },
        },
      ],
    });
    const queue = created.get('outage.fifo');
    const queueUrl = queue?.url ?? '';
    const dlqUrl = queue?.deadLetter?.url ?? '';

    /** Each committed handler run: group, sequence, the receive count it ran on. */
    const committed = new HandlerSpy<{ group: string; seq: number; receiveCount: number }>();
    @Controller()
    @UseFilters(new SqsExceptionFilter())
    class Handlers {
      @IdempotentEventPattern('effect.requested', { consumer: 'outage' })
      async effect(@Payload() payload: { group: string; seq: number }, @Ctx() ctx: SqsContext): Promise<void> {
        const tx = ctx.getTransaction<TestTransactionClient>();
        await tx.$executeRaw`INSERT INTO effects (event_id, note) VALUES (${ctx.getEnvelope().id}, ${`${payload.group}:${payload.seq}`})`;
        committed.record({ group: payload.group, seq: payload.seq, receiveCount: ctx.getReceiveCount() });
      }
    }
    class ConsumerModule {}
    Module({ controllers: [Handlers] })(ConsumerModule);
    const server = new SqsServer({
      endpoint: sqs.endpoint,
      queues: [{ url: queueUrl, pollers: 2, waitTimeSeconds: 1 }],
      inbox: new PrismaInboxStore({ client: prisma, maxWaitMs: 400, transactionTimeoutMs: 5_000 }),
      isDependencyOutage: isDatabaseUnavailable,
      retry: { baseDelaySeconds: 0.1, maxDelaySeconds: 0.2 },
      outageRetry: { baseDelaySeconds: 0.1, maxDelaySeconds: 0.4 },
      heartbeatIntervalMs: 1_000,
    });
    const failures = new HandlerSpy<ConsumerEvents['failed']>();
    const held = new HandlerSpy<ConsumerEvents['held']>();
    server.onEvent('failed', (event) => failures.record(event)).onEvent('held', (event) => held.record(event));
    const app = await NestFactory.createMicroservice(ConsumerModule, { strategy: server, logger: false });
    await app.listen();

    try {
      proxy.stall();
      const envelopes = Array.from({ length: GROUPS }, (_, g) =>
        Array.from({ length: PER_GROUP }, (_, seq) =>
          createEnvelope({ type: 'effect.requested', payload: { group: `g${g}`, seq } }),
        ),
      );
      for (const [g, group] of envelopes.entries()) {
        await sqs.client.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: group.map((envelope, index) => ({
              Id: String(index),
              MessageBody: JSON.stringify(envelope),
              MessageGroupId: `g${g}`,
              MessageDeduplicationId: envelope.id,
              MessageAttributes: { type: { DataType: 'String', StringValue: 'effect.requested' } },
            })),
          }),
        );
      }

      // The stall lasts until the head of every group has failed more often than its queue allows receives.
      await waitFor(
        () =>
          Array.from({ length: GROUPS }, (_, g) => `g${g}`).every(
            (group) => failures.calls.filter((event) => event.groupId === group).length > MAX_RECEIVE_COUNT,
          ),
        { timeoutMs: 20_000, description: `more than ${MAX_RECEIVE_COUNT} failures per group during the stall` },
      );
      expect(server.consumer.pollingPaused).toBe(true);
      expect(committed.count).toBe(0);
      proxy.resume();

      await committed.waitForCalls(GROUPS * PER_GROUP, 20_000);
      await waitFor(() => !server.consumer.pollingPaused, { description: 'polling resumed' });

      // Nothing dead-lettered; nothing left on the queue.
      expect(await drain(dlqUrl)).toBe(0);
      await waitFor(async () => (await drain(queueUrl)) === 0, { description: 'every message deleted' });
      // Each event committed once, with its inbox row, in group order, all on their first delivery.
      const rows = await effects(database.url);
      expect(rows).toHaveLength(GROUPS * PER_GROUP);
      expect(new Set(rows.map((row) => row.event_id)).size).toBe(GROUPS * PER_GROUP);
      const inbox = await query<{ n: string }>(database.url, 'SELECT count(*) AS n FROM sqs_inbox');
      expect(Number(inbox[0]?.n)).toBe(GROUPS * PER_GROUP);
      for (let g = 0; g < GROUPS; g += 1) {
        const order = committed.calls.filter((call) => call.group === `g${g}`).map((call) => call.seq);
        expect(order).toEqual([0, 1, 2]);
      }
      // Receive counts did not climb while polling was paused: every failure and every commit was on delivery 1.
      expect(new Set(failures.calls.map((event) => event.receiveCount))).toEqual(new Set([1]));
      expect(new Set(committed.calls.map((call) => call.receiveCount))).toEqual(new Set([1]));
      expect(failures.calls.every((event) => event.outage)).toBe(true);
      expect(held.count).toBe(failures.count);
    } finally {
      proxy.resume();
      await app.close();
      await prisma.$disconnect();
      await proxy.stop();
      await database.drop();
    }
  }, 60_000);
});
