// A consumer process for crash tests: an idempotent handler that records one effect per event.
// CRASH=after-commit kills the process with SIGKILL right after the inbox transaction committed,
// before the message's delete leaves (the delete is batched at the end of the event-loop turn).
import 'reflect-metadata';
import { Controller, Module, UseFilters } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, Payload } from '@nestjs/microservices';
import type { SqsContext } from '@sqsref/sqs-transport';
import { IdempotentEventPattern, SqsExceptionFilter, SqsServer } from '@sqsref/sqs-transport';
import { PrismaInboxStore } from '../../src/index.js';
import type { TestTransactionClient } from '../support/prisma.js';
import { prismaClientFor } from '../support/prisma.js';

export type ConsumerChildMessage =
  | { kind: 'ready' }
  | { kind: 'effect'; eventId: string }
  | { kind: 'processed'; messageId: string; duplicate: boolean };

const send = (message: ConsumerChildMessage): void => {
  process.send?.(message);
};

const prisma = prismaClientFor(process.env.DATABASE_URL ?? '');

@Controller()
@UseFilters(new SqsExceptionFilter())
class EffectHandlers {
  @IdempotentEventPattern('effect.requested', { consumer: 'crash-test' })
  async effect(@Payload() payload: { note: string }, @Ctx() ctx: SqsContext): Promise<void> {
    const tx = ctx.getTransaction<TestTransactionClient>();
    const eventId = ctx.getEnvelope().id;
    await tx.$executeRaw`INSERT INTO effects (event_id, note) VALUES (${eventId}, ${payload.note})`;
    send({ kind: 'effect', eventId });
  }
}

@Module({ controllers: [EffectHandlers] })
class ChildModule {}

const server = new SqsServer({
  endpoint: process.env.SQS_ENDPOINT ?? '',
  queues: [{ url: process.env.QUEUE_URL ?? '', waitTimeSeconds: 1 }],
  inbox: new PrismaInboxStore({ client: prisma }),
  retry: { baseDelaySeconds: 0, maxDelaySeconds: 0 },
});
server.onEvent('processed', (event) => {
  send({ kind: 'processed', messageId: event.messageId, duplicate: event.duplicate });
  if (process.env.CRASH === 'after-commit' && !event.duplicate) process.kill(process.pid, 'SIGKILL');
});
const app = await NestFactory.createMicroservice(ChildModule, { strategy: server, logger: false });
app.enableShutdownHooks();
await app.listen();
send({ kind: 'ready' });
process.once('SIGTERM', () => {
  void app.close().then(() => prisma.$disconnect());
});
