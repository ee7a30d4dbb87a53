// The outbox relay's throughput, side by side in one run: each contender gets a warm-up, then ROUNDS rounds with the
// contenders' order rotated each round; the figure is the median. Writes bench/results/relay.json.
//
//  - a hot order group: RELAY_HOT_ROWS (2,000) pending rows of one group, drained by the relay;
//  - FIFO with 50 groups against a standard queue: RELAY_ROWS (2,000) rows each.
//
// Each is run with the relay's default (runs of up to 100 consecutive rows of a group per pass, sent in order, 10 per
// SendMessageBatch), with `maxPerGroup: 1` (one row per group per pass: the claim the relay had before), and as the
// ceiling from the same run: the raw SDK sending the same messages from memory with SendMessageBatch (8 calls in
// flight; for the hot group one call at a time, as its order requires), no database at all. `maxPerGroup: 1`
// drains a hot group at one pass per event, so it is timed over its first RELAY_SLOW_HOT_ROWS (100) events of the
// same 2,000-row backlog. Every contender uses the same relay settings as bench/exactly-once.ts (batchSize 100,
// idleWaitMs 50), a fresh queue, and an empty outbox; after a full drain the queue must hold exactly one message per row.
//
// Run: npm run build && npm run generate -w @sqsref/sqs-prisma &&
//      node --no-warnings --import ./tooling/ts-loader/register.mjs bench/relay.ts
// Needs PostgreSQL (DATABASE_URL's server, else embedded); starts fauxqs in its own process on a free port.
import { GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { createEnvelope, OutboxRelay } from '@sqsref/sqs-transport';
import { addManyToOutbox, PrismaOutboxStore } from '@sqsref/sqs-prisma';
import { createMigratedDatabase, startPostgres } from '@sqsref/sqs-prisma/testing';
import { startForkedSqsEmulator } from '@sqsref/dev-stack';
import { sqsPrismaPaths } from '../packages/sqs-prisma/src/paths.js';
import type { TestPrismaClient } from '../packages/sqs-prisma/test/support/prisma.js';
import { prismaClientFor } from '../packages/sqs-prisma/test/support/prisma.js';
import { client, createQueue, deleteQueue, median, preload, sizeFromEnv, until, writeResults } from './lib.mjs';

const ROWS = sizeFromEnv('RELAY_ROWS', 2_000);
const HOT_ROWS = sizeFromEnv('RELAY_HOT_ROWS', 2_000);
const SLOW_HOT_ROWS = Math.min(HOT_ROWS, sizeFromEnv('RELAY_SLOW_HOT_ROWS', 100));
const ROUNDS = sizeFromEnv('BENCH_ROUNDS', 3);
const WARMUP_ROWS = 100;

type Shape = 'hot group' | 'FIFO, 50 groups' | 'standard queue';
const RAW = 'raw SDK SendMessageBatch, no database (ceiling)';
interface Contender {
  shape: Shape;
  relay: 'runs per group (default)' | 'maxPerGroup 1 (one row per group per pass, as before)' | typeof RAW;
  maxPerGroup: number | undefined;
}

const contenders: Contender[] = (['hot group', 'FIFO, 50 groups', 'standard queue'] as const).flatMap((shape) => [
  { shape, relay: 'runs per group (default)', maxPerGroup: undefined },
  { shape, relay: 'maxPerGroup 1 (one row per group per pass, as before)', maxPerGroup: 1 },
  { shape, relay: RAW, maxPerGroup: undefined },
]);

const emulator = await startForkedSqsEmulator();
const sqs = client(emulator.endpoint);
const postgres = await startPostgres();
const database = await createMigratedDatabase(postgres.url, sqsPrismaPaths.migrationsDir, 'bench_relay');
const prisma: TestPrismaClient = prismaClientFor(database.url);
let queueNumber = 0;

/** Fills the outbox, drains it with one relay (or sends the same messages raw), and returns events per second. */
async function drain(contender: Contender, rowsOverride?: number): Promise<number> {
  const fifo = contender.shape !== 'standard queue';
  const rows = rowsOverride ?? (contender.shape === 'hot group' ? HOT_ROWS : ROWS);
  const measured =
    rowsOverride ?? (contender.shape === 'hot group' && contender.maxPerGroup === 1 ? SLOW_HOT_ROWS : rows);
  const groupOf = (i: number): string | null =>
    contender.shape === 'hot group' ? 'order-hot' : contender.shape === 'FIFO, 50 groups' ? `order-${i % 50}` : null;
  const name = `relay-bench-${(queueNumber += 1)}${fifo ? '.fifo' : ''}`;
  const queueUrl = await createQueue(sqs, name, fifo);
  if (contender.relay === RAW) {
    const started = performance.now();
    if (contender.shape === 'hot group') await sendInOrder(queueUrl, rows);
    else await preload(sqs, queueUrl, rows, fifo ? 50 : undefined);
    const rate = (rows * 1000) / (performance.now() - started);
    await deleteQueue(sqs, queueUrl);
    return rate;
  }
  await prisma.$executeRawUnsafe('DELETE FROM sqs_outbox');
  const entries = Array.from({ length: rows }, (_, i) => ({
    queue: name,
    groupId: groupOf(i),
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
    ...(contender.maxPerGroup === undefined ? {} : { maxPerGroup: contender.maxPerGroup }),
  });
  let marked = 0;
  relay.events.on('marked', (event) => {
    marked += event.ids.length;
  });
  const started = performance.now();
  relay.start();
  try {
    await until(() => marked >= measured, 600_000);
  } finally {
    await relay.stop();
  }
  const rate = (measured * 1000) / (performance.now() - started);
  if (marked >= rows) {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    const onQueue = Number(Attributes?.ApproximateNumberOfMessages);
    if (onQueue !== rows) throw new Error(`${contender.shape}: ${onQueue} messages on the queue for ${rows} rows`);
  }
  await deleteQueue(sqs, queueUrl);
  return rate;
}

/** One group's messages, 10 per call, one call at a time (the next waits for the answer, as order requires). */
async function sendInOrder(queueUrl: string, rows: number): Promise<void> {
  for (let start = 0; start < rows; start += 10) {
    const Entries = Array.from({ length: Math.min(10, rows - start) }, (_, j) => {
      const envelope = createEnvelope({ type: 'bench.noop', payload: { i: start + j } });
      return {
        Id: String(j),
        MessageBody: JSON.stringify(envelope),
        MessageAttributes: { type: { DataType: 'String', StringValue: 'bench.noop' } },
        MessageGroupId: 'order-hot',
        MessageDeduplicationId: envelope.id,
      };
    });
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries }));
  }
}

const label = (contender: Contender): string => `${contender.shape} / ${contender.relay}`;
const rates = new Map<string, number[]>();
try {
  process.stderr.write('warm-up\n');
  for (const contender of contenders) await drain(contender, WARMUP_ROWS);
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length] as Contender);
    for (const contender of order) {
      const rate = await drain(contender);
      (rates.get(label(contender)) ?? rates.set(label(contender), []).get(label(contender)) ?? []).push(rate);
      process.stderr.write(`  round ${round + 1}: ${label(contender)}: ${Math.round(rate)} events/s\n`);
    }
  }
} finally {
  sqs.destroy();
  await prisma.$disconnect();
  await database.drop();
  await postgres.stop();
  await emulator.stop();
}

const rateOf = (shape: Shape, relay: Contender['relay']): number =>
  median(rates.get(label(contenders.find((c) => c.shape === shape && c.relay === relay) as Contender)) ?? []);
const rows = contenders.map((contender) => {
  const rate = rateOf(contender.shape, contender.relay);
  return {
    workload: contender.shape,
    relay: contender.relay,
    'events/s (median)': Math.round(rate),
    'vs maxPerGroup 1': (
      rate / rateOf(contender.shape, 'maxPerGroup 1 (one row per group per pass, as before)')
    ).toFixed(2),
    'vs standard queue, same contender': (rate / rateOf('standard queue', contender.relay)).toFixed(2),
    'vs raw ceiling': (rate / rateOf(contender.shape, RAW)).toFixed(2),
    rounds: (rates.get(label(contender)) ?? []).map(Math.round),
  };
});
const notes = [
  `Outbox relay drain rate, median of ${ROUNDS} rounds after a warm-up of ${WARMUP_ROWS} rows per contender, contenders rotated each round.`,
  `Hot group: ${HOT_ROWS} pending rows of one group; with maxPerGroup 1 timed over its first ${SLOW_HOT_ROWS} events. FIFO and standard: ${ROWS} rows.`,
  'One relay (batchSize 100, idleWaitMs 50), fauxqs in its own process, PostgreSQL ' +
    (process.env.DATABASE_URL ? 'from DATABASE_URL.' : 'embedded.'),
  'What limits it: one PostgreSQL claim and one mark per pass of up to 100 rows, and for one group its batches of 10 ' +
    'go out one after another (each waits for the previous answer, to keep the group in order).',
];
console.log(`\n${notes.join('\n')}\n`);
console.table(rows.map(({ rounds: _rounds, ...row }) => row));
writeResults('relay', {
  title: 'Outbox relay: a hot group, and FIFO with 50 groups against a standard queue',
  rows,
  notes,
});
