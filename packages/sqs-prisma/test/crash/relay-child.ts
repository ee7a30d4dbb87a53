// A relay process for crash tests. CRASH=after-send kills it with SIGKILL once SQS has accepted
// its first batch, before the rows are marked sent.
import { OutboxRelay } from '@sqsref/sqs-transport';
import { PrismaOutboxStore } from '../../src/index.js';
import { prismaClientFor } from '../support/prisma.js';

export type RelayChildMessage = { kind: 'sent'; ids: string[] } | { kind: 'marked'; ids: string[] };

const prisma = prismaClientFor(process.env.DATABASE_URL ?? '');
const relay = new OutboxRelay({
  store: new PrismaOutboxStore({ client: prisma }),
  endpoint: process.env.SQS_ENDPOINT ?? '',
  queueUrls: JSON.parse(process.env.QUEUE_URLS ?? '{}') as Record<string, string>,
  batchSize: Number(process.env.BATCH_SIZE ?? 50),
  leaseMs: Number(process.env.LEASE_MS ?? 30_000),
  idleWaitMs: 50,
});
relay.events.on('sent', (event) => {
  process.send?.({ kind: 'sent', ids: event.ids } satisfies RelayChildMessage);
  if (process.env.CRASH === 'after-send') process.kill(process.pid, 'SIGKILL');
});
relay.events.on('marked', (event) => process.send?.({ kind: 'marked', ids: event.ids } satisfies RelayChildMessage));
relay.start();
process.once('SIGTERM', () => {
  void relay.stop().then(() => prisma.$disconnect());
});
