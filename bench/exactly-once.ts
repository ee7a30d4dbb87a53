// Inbox and outbox benchmarks, side by side in one run (npm run bench runs this after consume.mjs):
//  - consume throughput of one handler that writes one row, with the inbox (row + inbox in one
//    transaction) against without it (a plain insert);
//  - the outbox relay's throughput, and its commit-to-queue latency (p50, p99).
// Runs TypeScript through tooling/ts-loader; needs PostgreSQL (DATABASE_URL's server, else embedded).
import 'reflect-metadata';
import { ReceiveMessageCommand, DeleteMessageBatchCommand } from '@aws-sdk/client-sqs';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { SqsContext } from '@sqsref/sqs-transport';
import {
  createEnvelope,
  IdempotentEventPattern,
  OutboxRelay,
  parseEnvelope,
  SQS_MAX_RECEIVE_MESSAGES,
  SqsServer,
} from '@sqsref/sqs-transport';
import { addManyToOutbox, addToOutbox, PrismaInboxStore, PrismaOutboxStore } from '@sqsref/sqs-prisma';
import { createMigratedDatabase, startPostgres } from '@sqsref/sqs-prisma/testing';
import { sqsPrismaPaths } from '../packages/sqs-prisma/src/paths.js';
import type { TestPrismaClient, TestTransactionClient } from '../packages/sqs-prisma/test/support/prisma.js';
import { prismaClientFor } from '../packages/sqs-prisma/test/support/prisma.js';
import { startForkedSqsEmulator } from '@sqsref/dev-stack';
import { client, createQueue, deleteQueue, median, percentile, preload, until, writeResults } from './lib.mjs';

const MESSAGES = Number(process.env.BENCH_DB_MESSAGES ?? 2_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const emulator = await startForkedSqsEmulator();
const sqs = client(emulator.endpoint);
const postgres = await startPostgres();
const database = await createMigratedDatabase(postgres.url, sqsPrismaPaths.migrationsDir, 'bench');
const prisma: TestPrismaClient = prismaClientFor(database.url);
await prisma.$executeRawUnsafe('CREATE TABLE effects (seq bigserial PRIMARY KEY, event_id text NOT NULL)');

let current: TestPrismaClient = prisma;

@Controller()
class PlainHandlers {
  @EventPattern<string>('bench.noop')
  async effect(@Payload() _payload: unknown, @Ctx() ctx: SqsContext): Promise<void> {
    await current.$executeRaw`INSERT INTO effects (event_id) VALUES (${ctx.getEnvelope().id})`;
  }
}

@Controller()
class InboxHandlers {
  @IdempotentEventPattern('bench.noop')
  async effect(@Payload() _payload: unknown, @Ctx() ctx: SqsContext): Promise<void> {
    await ctx.getTransaction<TestTransactionClient>()
      .$executeRaw`INSERT INTO effects (event_id) VALUES (${ctx.getEnvelope().id})`;
  }
}

@Module({ controllers: [PlainHandlers] })
class PlainModule {}

@Module({ controllers: [InboxHandlers] })
class InboxModule {}

async function consume(withInbox: boolean, queueNumber: number): Promise<number> {
  const queueUrl = await createQueue(sqs, `inbox-bench-${queueNumber}`, false);
  await preload(sqs, queueUrl, MESSAGES, undefined);
  const server = new SqsServer({
    client: sqs,
    queues: [{ url: queueUrl, pollers: 8, waitTimeSeconds: 1 }],
    concurrency: 20, // the Prisma pool has 10 connections; more handlers would only queue for them
    ...(withInbox ? { inbox: new PrismaInboxStore({ client: prisma }) } : {}),
  });
  let deleted = 0;
  server.onEvent('deleted', (event) => {
    deleted += event.count;
  });
  const app = await NestFactory.createMicroservice(withInbox ? InboxModule : PlainModule, {
    strategy: server,
    logger: false,
  });
  const started = performance.now();
  await app.listen();
  await until(() => deleted >= MESSAGES, 300_000);
  const rate = (MESSAGES * 1000) / (performance.now() - started);
  await app.close();
  await deleteQueue(sqs, queueUrl);
  return rate;
}

async function relayThroughput(queueNumber: number, groups: number | undefined): Promise<number> {
  const name = `relay-bench-${queueNumber}${groups ? '.fifo' : ''}`;
  const queueUrl = await createQueue(sqs, name, Boolean(groups));
  const entries = Array.from({ length: MESSAGES }, (_, i) => ({
    queue: name,
    groupId: groups ? `g${i % groups}` : null,
    envelope: createEnvelope({ type: 'bench.noop', payload: { i } }),
  }));
  await prisma.$transaction(async (tx) => addManyToOutbox(tx, entries));
  await prisma.$executeRawUnsafe('ANALYZE sqs_outbox');
  const relay = new OutboxRelay({
    store: new PrismaOutboxStore({ client: prisma }),
    client: sqs,
    queueUrls: { [name]: queueUrl },
    batchSize: 100,
    idleWaitMs: 50,
  });
  let marked = 0;
  relay.events.on('marked', (event) => {
    marked += event.ids.length;
  });
  const started = performance.now();
  relay.start();
  await until(() => marked >= MESSAGES, 300_000);
  const rate = (MESSAGES * 1000) / (performance.now() - started);
  await relay.stop();
  await deleteQueue(sqs, queueUrl);
  return rate;
}

/** Commits events one transaction at a time (as an API would) and measures until a consumer receives each. */
async function relayLatency(queueNumber: number): Promise<number[]> {
  const name = `latency-bench-${queueNumber}.fifo`;
  const queueUrl = await createQueue(sqs, name, true);
  const store = new PrismaOutboxStore({ client: prisma, listenUrl: database.url });
  const relay = new OutboxRelay({ store, client: sqs, queueUrls: { [name]: queueUrl }, idleWaitMs: 1_000 });
  relay.start();
  const committedAt = new Map<string, number>();
  const latencies: number[] = [];
  let receiving = true;
  const receivers = Array.from({ length: 4 }, async () => {
    while (receiving) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: SQS_MAX_RECEIVE_MESSAGES,
          WaitTimeSeconds: 1,
        }),
      );
      const now = performance.now();
      for (const message of Messages) {
        const at = committedAt.get(parseEnvelope(message.Body).id);
        if (at !== undefined) latencies.push(now - at);
      }
      if (Messages.length > 0) {
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
      }
    }
  });
  const events = 500;
  for (let i = 0; i < events; i += 1) {
    const envelope = createEnvelope({ type: 'bench.noop', payload: { i } });
    await prisma.$transaction(async (tx) => addToOutbox(tx, { queue: name, groupId: `order-${i % 50}`, envelope }));
    committedAt.set(envelope.id, performance.now());
  }
  await until(() => latencies.length >= events, 120_000);
  receiving = false;
  await Promise.all(receivers);
  await relay.stop();
  await store.close();
  await deleteQueue(sqs, queueUrl);
  return latencies;
}

const results: Record<string, number[]> = {};
const record = (name: string, value: number): void => {
  (results[name] ??= []).push(value);
  process.stderr.write(`  ${name}: ${Math.round(value)}\n`);
};
let queueNumber = 0;
const latencies: number[] = [];
try {
  for (let round = 0; round < ROUNDS; round += 1) {
    record('consume, plain insert (msgs/s)', await consume(false, (queueNumber += 1)));
    record('consume, insert + inbox in one transaction (msgs/s)', await consume(true, (queueNumber += 1)));
    record('relay, standard queue (msgs/s)', await relayThroughput((queueNumber += 1), undefined));
    record('relay, FIFO with 50 groups (msgs/s)', await relayThroughput((queueNumber += 1), 50));
  }
  latencies.push(...(await relayLatency((queueNumber += 1))));
} finally {
  current = prisma;
  sqs.destroy();
  await prisma.$disconnect();
  await database.drop();
  await postgres.stop();
  await emulator.stop();
}

const plain = median(results['consume, plain insert (msgs/s)'] ?? []);
const rows = Object.entries(results).map(([name, values]) => ({
  benchmark: name,
  'median of rounds': Math.round(median(values)),
  ...(name.startsWith('consume') ? { 'vs plain insert': (median(values) / plain).toFixed(2) } : {}),
}));
const title = `Inbox and outbox, ${MESSAGES} messages, median of ${ROUNDS}`;
const latency = `Outbox commit-to-queue latency, 500 events committed one transaction at a time, relay woken by LISTEN/NOTIFY: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`;
console.log(`\n${title} (PostgreSQL ${process.env.DATABASE_URL ? 'from DATABASE_URL' : 'embedded'})\n`);
console.table(rows);
console.log(latency);
writeResults('exactly-once', {
  title,
  rows,
  notes: [
    `PostgreSQL ${process.env.DATABASE_URL ? 'from DATABASE_URL' : 'embedded'}, on the same machine.`,
    `${latency}.`,
  ],
});
