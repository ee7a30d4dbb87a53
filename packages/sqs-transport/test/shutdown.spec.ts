import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { SqsClientProxy } from '../src/index.js';
import type { SqsEmulator } from '../src/testing/index.js';
import { HandlerSpy, startSqsEmulator } from '../src/testing/index.js';
import { startConsumerApp } from './support/app.js';
import { messagesOnQueue, uniqueName } from './support/queues.js';

describe('graceful shutdown (fauxqs)', () => {
  let sqs: SqsEmulator;
  beforeAll(async () => {
    sqs = await startSqsEmulator();
  });
  afterAll(async () => {
    await sqs.stop();
  });

  it('lets in-flight handlers finish and makes received-but-unstarted messages visible at once', async () => {
    const name = uniqueName('shutdown');
    // A long visibility timeout: unreleased messages would stay hidden for a minute.
    const queues = await sqs.createQueues({ queues: [{ name, visibilityTimeoutSeconds: 60 }] });
    const queueUrl = queues.get(name)?.url ?? '';
    const started = new HandlerSpy<number>();
    const finished = new HandlerSpy<number>();
    let openGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });

    @Controller()
    class Handlers {
      @EventPattern<string>('job')
      async job(@Payload() payload: { n: number }): Promise<void> {
        started.record(payload.n);
        await gate;
        finished.record(payload.n);
      }
    }

    const consumer = await startConsumerApp([Handlers], {
      endpoint: sqs.endpoint,
      queues: [{ url: queueUrl, pollers: 1, waitTimeSeconds: 1 }],
      concurrency: 2,
      prefetch: 10,
    });
    const received = new HandlerSpy<string>();
    const released = new HandlerSpy<string>();
    consumer.server.onEvent('received', (event) => received.record(event.messageId));
    consumer.server.onEvent('released', (event) => event.messageIds.forEach((id) => released.record(id)));
    const client = new SqsClientProxy({ endpoint: sqs.endpoint, routes: { job: queueUrl } });
    try {
      for (let n = 0; n < 6; n += 1) client.emit('job', { n });
      await client.sender.flush();
      await received.waitForCalls(6);
      await started.waitForCalls(2);

      const closing = consumer.close();
      await released.waitForCalls(4);
      const whileDraining = await messagesOnQueue(sqs.client, queueUrl);
      expect(whileDraining.visible).toBe(4);
      expect(finished.count).toBe(0);

      openGate();
      await closing;
      expect(finished.calls.sort()).toEqual(started.calls.sort());
      expect(started.count).toBe(2);
      const after = await messagesOnQueue(sqs.client, queueUrl);
      expect(after).toEqual({ visible: 4, inFlight: 0 });
    } finally {
      openGate();
      await client.close();
      await consumer.close();
    }
  }, 30_000);
});
