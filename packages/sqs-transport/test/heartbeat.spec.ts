import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { LeaseLostError, SqsClientProxy, SqsContext, SqsExceptionFilter } from '../src/index.js';
import type { SqsEmulator } from '../src/testing/index.js';
import { HandlerSpy, startSqsEmulator, waitFor } from '../src/testing/index.js';
import { startConsumerApp } from './support/app.js';
import { messagesOnQueue, uniqueName } from './support/queues.js';
import { simulateWork } from './support/work.js';

describe('heartbeat against fauxqs', () => {
  let sqs: SqsEmulator;
  beforeAll(async () => {
    sqs = await startSqsEmulator();
  });
  afterAll(async () => {
    await sqs.stop();
  });

  it('keeps a handler that runs 3x the visibility timeout invisible: it completes once and is never redelivered', async () => {
    const name = uniqueName('slow-job');
    const queues = await sqs.createQueues({ queues: [{ name, visibilityTimeoutSeconds: 2 }] });
    const queueUrl = queues.get(name)?.url ?? '';
    const completed = new HandlerSpy<string>();
    const started = new HandlerSpy<number>();

    @Controller()
    class Handlers {
      @EventPattern<string>('slow.job')
      async run(@Ctx() ctx: SqsContext): Promise<void> {
        started.record(ctx.getReceiveCount());
        await simulateWork(6_000); // the slow job: 3x the visibility timeout
        completed.record(ctx.getEnvelope().id);
      }
    }

    const consumer = await startConsumerApp([Handlers], {
      endpoint: sqs.endpoint,
      queues: [{ url: queueUrl, pollers: 2, waitTimeSeconds: 1 }],
    });
    const received: string[] = [];
    const extended: string[] = [];
    consumer.server.onEvent('received', (event) => received.push(event.messageId));
    consumer.server.onEvent('extended', (event) => extended.push(...event.messageIds));
    const client = new SqsClientProxy({ endpoint: sqs.endpoint, routes: { '*': queueUrl } });
    try {
      client.emit('slow.job', {});
      await client.sender.flush();
      await completed.waitForCalls(1, 15_000);
      await waitFor(async () => {
        const counts = await messagesOnQueue(sqs.client, queueUrl);
        return counts.visible + counts.inFlight === 0;
      });
      expect(started.calls).toEqual([1]);
      expect(received).toHaveLength(1);
      expect(extended.length).toBeGreaterThanOrEqual(2);
    } finally {
      await client.close();
      await consumer.close();
    }
    expect(completed.count).toBe(1);
  }, 30_000);

  it("fires the handler's AbortSignal with LeaseLostError when an extension is refused", async () => {
    const name = uniqueName('lost-lease');
    const queues = await sqs.createQueues({ queues: [{ name, visibilityTimeoutSeconds: 2 }] });
    const queueUrl = queues.get(name)?.url ?? '';
    const aborted = new HandlerSpy<unknown>();
    const receipts = new HandlerSpy<string>();

    @Controller()
    @UseFilters(new SqsExceptionFilter())
    class Handlers {
      @EventPattern<string>('long.job')
      async run(@Ctx() ctx: SqsContext): Promise<void> {
        const signal = ctx.getSignal();
        receipts.record(ctx.getMessage().ReceiptHandle ?? '');
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        aborted.record(signal.reason);
        throw signal.reason;
      }
    }

    const consumer = await startConsumerApp([Handlers], {
      endpoint: sqs.endpoint,
      queues: [{ url: queueUrl, waitTimeSeconds: 1 }],
      heartbeatIntervalMs: 200,
    });
    const client = new SqsClientProxy({ endpoint: sqs.endpoint, routes: { '*': queueUrl } });
    try {
      client.emit('long.job', {});
      const [receiptHandle] = await receipts.waitForCalls(1);
      // Someone else deletes the message: the receipt handle is gone, the next extension is refused.
      await sqs.client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle }));
      const [reason] = await aborted.waitForCalls(1, 10_000);
      expect(reason).toBeInstanceOf(LeaseLostError);
      expect((reason as LeaseLostError).code).toBe('LEASE_LOST');
    } finally {
      await client.close();
      await consumer.close();
    }
  }, 30_000);
});
