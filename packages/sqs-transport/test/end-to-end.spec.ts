import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { SqsClientProxy, SqsContext, SqsExceptionFilter, sqsEvent } from '../src/index.js';
import type { SqsEmulator } from '../src/testing/index.js';
import { HandlerSpy, startSqsEmulator, waitFor } from '../src/testing/index.js';
import { startConsumerApp } from './support/app.js';
import { messagesOnQueue, uniqueName } from './support/queues.js';

interface Seen {
  payload: { n: number };
  eventId: string;
  groupId: string | undefined;
  queueUrl: string;
}

describe('SQS transport end to end through a Nest app (fauxqs)', () => {
  let sqs: SqsEmulator;
  beforeAll(async () => {
    sqs = await startSqsEmulator();
  });
  afterAll(async () => {
    await sqs.stop();
  });

  it('delivers events from SqsClientProxy to @EventPattern handlers on a standard and a FIFO queue, then deletes them', async () => {
    const standardName = uniqueName('e2e-standard');
    const fifoName = uniqueName('e2e-fifo', true);
    const queues = await sqs.createQueues({ queues: [{ name: standardName }, { name: fifoName }] });
    const standardUrl = queues.get(standardName)?.url ?? '';
    const fifoUrl = queues.get(fifoName)?.url ?? '';
    const spy = new HandlerSpy<Seen>();

    @Controller()
    @UseFilters(new SqsExceptionFilter())
    class Handlers {
      @EventPattern<string>('thing.happened')
      happened(@Payload() payload: { n: number }, @Ctx() ctx: SqsContext): void {
        spy.record({ payload, eventId: ctx.getEnvelope().id, groupId: ctx.getGroupId(), queueUrl: ctx.getQueueUrl() });
      }

      @EventPattern<string>('thing.ordered')
      ordered(@Payload() payload: { n: number }, @Ctx() ctx: SqsContext): void {
        spy.record({ payload, eventId: ctx.getEnvelope().id, groupId: ctx.getGroupId(), queueUrl: ctx.getQueueUrl() });
      }
    }

    const consumer = await startConsumerApp([Handlers], {
      endpoint: sqs.endpoint,
      queues: [
        { url: standardUrl, waitTimeSeconds: 1 },
        { url: fifoUrl, waitTimeSeconds: 1 },
      ],
    });
    const client = new SqsClientProxy({
      endpoint: sqs.endpoint,
      routes: { 'thing.happened': standardUrl, 'thing.ordered': fifoName },
    });
    try {
      for (let n = 0; n < 5; n += 1) {
        client.emit('thing.happened', { n });
        client.emit('thing.ordered', sqsEvent({ n }, { groupId: 'group-a' }));
      }
      await client.sender.flush();
      const calls = await spy.waitForCalls(10);
      const fifoCalls = calls.filter((call) => call.queueUrl === fifoUrl);
      expect(fifoCalls.map((call) => call.payload.n)).toEqual([0, 1, 2, 3, 4]);
      expect(fifoCalls.every((call) => call.groupId === 'group-a')).toBe(true);
      expect(
        calls
          .filter((call) => call.queueUrl === standardUrl)
          .map((call) => call.payload.n)
          .sort(),
      ).toEqual([0, 1, 2, 3, 4]);
      expect(new Set(calls.map((call) => call.eventId)).size).toBe(10);
      await waitFor(
        async () => {
          const [standard, fifo] = await Promise.all([
            messagesOnQueue(sqs.client, standardUrl),
            messagesOnQueue(sqs.client, fifoUrl),
          ]);
          return standard.visible + standard.inFlight + fifo.visible + fifo.inFlight === 0;
        },
        { description: 'every message deleted' },
      );
    } finally {
      await client.close();
      await consumer.close();
    }
  });
});
