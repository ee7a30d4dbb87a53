import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { Controller, Module, UseFilters } from '@nestjs/common';
import type { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, Payload } from '@nestjs/microservices';
import type { SqsContext, SqsServerOptions } from '@sqsref/sqs-transport';
import { createEnvelope, IdempotentEventPattern, SqsExceptionFilter, SqsServer } from '@sqsref/sqs-transport';
import type { SqsEmulator } from '@sqsref/sqs-transport/testing';
import { HandlerSpy, startSqsEmulator, waitFor } from '@sqsref/sqs-transport/testing';
import { PrismaInboxStore } from '../src/index.js';
import { sqsPrismaPaths } from '../src/paths.js';
import type { PostgresServer } from '../src/testing/index.js';
import { createMigratedDatabase, startPostgres } from '../src/testing/index.js';
import { runTsChild } from './support/child-process.js';
import { query } from './support/database.js';
import { createEffectsTable, effects } from './support/effects.js';
import type { TestPrismaClient, TestTransactionClient } from './support/prisma.js';
import { prismaClientFor } from './support/prisma.js';
import type { ConsumerChildMessage } from './crash/consumer-child.js';

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

async function freshDatabase(name: string): Promise<string> {
  const database = await createMigratedDatabase(postgres.url, sqsPrismaPaths.migrationsDir, name);
  cleanups.push(() => database.drop());
  await createEffectsTable(database.url);
  return database.url;
}

async function queueCounts(queueUrl: string): Promise<number> {
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

async function sendEnvelopes(queueUrl: string, bodies: string[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    await sqs.client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: bodies.slice(i, i + 10).map((body, index) => ({
          Id: String(index),
          MessageBody: body,
          MessageAttributes: { type: { DataType: 'String', StringValue: 'effect.requested' } },
        })),
      }),
    );
  }
}

/** An in-process consumer app whose handler runs `work` inside the inbox transaction. */
async function startInboxConsumer(
  prisma: TestPrismaClient,
  options: Omit<SqsServerOptions, 'inbox'>,
  work: (tx: TestTransactionClient, payload: { note: string }, ctx: SqsContext) => Promise<void>,
): Promise<{ app: INestMicroservice; server: SqsServer }> {
  @Controller()
  @UseFilters(new SqsExceptionFilter())
  class Handlers {
    @IdempotentEventPattern('effect.requested', { consumer: 'exactly-once' })
    async effect(@Payload() payload: { note: string }, @Ctx() ctx: SqsContext): Promise<void> {
      await work(ctx.getTransaction<TestTransactionClient>(), payload, ctx);
    }
  }
  class ConsumerModule {}
  Module({ controllers: [Handlers] })(ConsumerModule);
  const server = new SqsServer({ ...options, inbox: new PrismaInboxStore({ client: prisma }) });
  const app = await NestFactory.createMicroservice(ConsumerModule, { strategy: server, logger: false });
  await app.listen();
  return { app, server };
}

describe('exactly-once effects with the Prisma inbox (real PostgreSQL, fauxqs)', () => {
  it('a consumer killed with SIGKILL after its commit and before the delete: the redelivery is acked without running the handler again', async () => {
    const databaseUrl = await freshDatabase('crash_after_commit');
    const queueUrl =
      (await sqs.createQueues({ queues: [{ name: 'crash-after-commit', visibilityTimeoutSeconds: 2 }] })).get(
        'crash-after-commit',
      )?.url ?? '';
    const envelope = createEnvelope({ type: 'effect.requested', payload: { note: 'once' } });
    await sendEnvelopes(queueUrl, [JSON.stringify(envelope)]);
    const env = { DATABASE_URL: databaseUrl, SQS_ENDPOINT: sqs.endpoint, QUEUE_URL: queueUrl };
    const childFile = new URL('./crash/consumer-child.ts', import.meta.url);

    const crashing = runTsChild<ConsumerChildMessage>(childFile, { ...env, CRASH: 'after-commit' });
    const exit = await crashing.exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(crashing.messages).toContainEqual({ kind: 'effect', eventId: envelope.id });
    expect(await effects(databaseUrl)).toEqual([{ event_id: envelope.id, note: 'once' }]);
    expect(await queueCounts(queueUrl)).toBe(1); // committed, but never deleted

    const restarted = runTsChild<ConsumerChildMessage>(childFile, env);
    try {
      const processed = await restarted.waitForMessage((message) => message.kind === 'processed', 20_000);
      expect(processed).toMatchObject({ duplicate: true });
      await waitFor(async () => (await queueCounts(queueUrl)) === 0, {
        description: 'the redelivered message deleted',
      });
      expect(restarted.messages.filter((message) => message.kind === 'effect')).toEqual([]);
      expect(await effects(databaseUrl)).toHaveLength(1);
    } finally {
      restarted.process.kill('SIGTERM');
      await restarted.exited;
    }
  }, 60_000);

  it('500 events, each delivered twice to two consumer instances at once: exactly 500 effects', async () => {
    const databaseUrl = await freshDatabase('double_delivery');
    const queueUrl =
      (await sqs.createQueues({ queues: [{ name: 'double-delivery' }] })).get('double-delivery')?.url ?? '';
    const envelopes = Array.from({ length: 500 }, (_, i) =>
      createEnvelope({ type: 'effect.requested', payload: { note: `e${i}` } }),
    );
    // Each event twice, the copies adjacent, so both instances regularly race on the same event id.
    await sendEnvelopes(
      queueUrl,
      envelopes.flatMap((envelope) => [JSON.stringify(envelope), JSON.stringify(envelope)]),
    );

    const outcomes = new HandlerSpy<{ instance: number; duplicate: boolean }>();
    const instances = await Promise.all(
      [1, 2].map(async (instance) => {
        const prisma = prismaClientFor(databaseUrl);
        const consumer = await startInboxConsumer(
          prisma,
          { endpoint: sqs.endpoint, queues: [{ url: queueUrl, pollers: 2, waitTimeSeconds: 1 }], concurrency: 20 },
          async (tx, payload, ctx) => {
            await tx.$executeRaw`INSERT INTO effects (event_id, note) VALUES (${ctx.getEnvelope().id}, ${payload.note})`;
          },
        );
        consumer.server.onEvent('processed', (event) => outcomes.record({ instance, duplicate: event.duplicate }));
        return { prisma, ...consumer };
      }),
    );
    try {
      await outcomes.waitForCalls(1_000, 60_000);
      const rows = await effects(databaseUrl);
      expect(rows).toHaveLength(500);
      expect(new Set(rows.map((row) => row.event_id)).size).toBe(500);
      expect(outcomes.calls.filter((call) => call.duplicate)).toHaveLength(500);
      // Both instances took part: each ran handlers and each absorbed duplicates.
      for (const instance of [1, 2]) {
        const own = outcomes.calls.filter((call) => call.instance === instance);
        expect({
          instance,
          ran: own.some((call) => !call.duplicate),
          absorbed: own.some((call) => call.duplicate),
        }).toEqual({ instance, ran: true, absorbed: true });
      }
      const inbox = await query<{ n: string }>(databaseUrl, 'SELECT count(*) AS n FROM sqs_inbox');
      expect(Number(inbox[0]?.n)).toBe(500);
    } finally {
      for (const instance of instances) {
        await instance.app.close();
        await instance.prisma.$disconnect();
      }
    }
  }, 90_000);

  it('a handler that throws halfway through its writes leaves no rows behind, and the retry succeeds', async () => {
    const databaseUrl = await freshDatabase('throw_halfway');
    const queueUrl = (await sqs.createQueues({ queues: [{ name: 'throw-halfway' }] })).get('throw-halfway')?.url ?? '';
    const envelope = createEnvelope({ type: 'effect.requested', payload: { note: 'two writes' } });
    const attempts = new HandlerSpy<number>();
    const rowsSeenAfterFailure = new HandlerSpy<number>();
    const prisma = prismaClientFor(databaseUrl);
    const consumer = await startInboxConsumer(
      prisma,
      {
        endpoint: sqs.endpoint,
        queues: [{ url: queueUrl, waitTimeSeconds: 1 }],
        retry: { baseDelaySeconds: 0, maxDelaySeconds: 0 },
      },
      async (tx, payload, ctx) => {
        attempts.record(ctx.getReceiveCount());
        if (ctx.getReceiveCount() > 1) {
          // What the failed attempt left behind, as committed data: nothing.
          const [left] = await tx.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM effects`;
          rowsSeenAfterFailure.record(Number(left?.n));
        }
        await tx.$executeRaw`INSERT INTO effects (event_id, note) VALUES (${ctx.getEnvelope().id}, ${`${payload.note}: first`})`;
        if (ctx.getReceiveCount() === 1) throw new Error('crashed between the two writes');
        await tx.$executeRaw`INSERT INTO effects (event_id, note) VALUES (${ctx.getEnvelope().id}, ${`${payload.note}: second`})`;
      },
    );
    try {
      await sendEnvelopes(queueUrl, [JSON.stringify(envelope)]);
      await attempts.waitForCalls(2, 20_000);
      expect(await rowsSeenAfterFailure.waitForCalls(1)).toEqual([0]);
      await waitFor(async () => (await queueCounts(queueUrl)) === 0, {
        description: 'message deleted after the retry',
      });
      expect((await effects(databaseUrl)).map((row) => row.note)).toEqual(['two writes: first', 'two writes: second']);
      expect(await query(databaseUrl, 'SELECT consumer FROM sqs_inbox')).toEqual([{ consumer: 'exactly-once' }]);
    } finally {
      await consumer.app.close();
      await prisma.$disconnect();
    }
  }, 60_000);
});
