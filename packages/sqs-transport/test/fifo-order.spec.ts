import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { SqsClientProxy, SqsContext, SqsExceptionFilter, sqsEvent } from '../src/index.js';
import type { SqsEmulator } from '../src/testing/index.js';
import { HandlerSpy, seededRandom, startSqsEmulator } from '../src/testing/index.js';
import { startConsumerApp } from './support/app.js';
import { uniqueName } from './support/queues.js';
import { simulateWork } from './support/work.js';

interface Step {
  group: string;
  seq: number;
}

describe('FIFO lanes against fauxqs', () => {
  let sqs: SqsEmulator;
  beforeAll(async () => {
    sqs = await startSqsEmulator();
  });
  afterAll(async () => {
    await sqs.stop();
  });

  it('processes 50 groups of 20 messages with random failures, each group strictly in send order', async () => {
    const name = uniqueName('order-under-failure', true);
    const queues = await sqs.createQueues({ queues: [{ name, visibilityTimeoutSeconds: 30 }] });
    const queueUrl = queues.get(name)?.url ?? '';
    const random = seededRandom(42);
    const processed = new HandlerSpy<Step>();
    let failures = 0;

    @Controller()
    @UseFilters(new SqsExceptionFilter())
    class Handlers {
      @EventPattern<string>('step')
      step(@Payload() step: Step): void {
        if (random() < 0.1) {
          failures += 1;
          throw new Error(`injected failure of ${step.group}/${step.seq}`);
        }
        processed.record(step);
      }
    }

    const consumer = await startConsumerApp([Handlers], {
      endpoint: sqs.endpoint,
      queues: [{ url: queueUrl, pollers: 4, waitTimeSeconds: 1 }],
      concurrency: 50,
      retry: { baseDelaySeconds: 0, maxDelaySeconds: 0 },
    });
    const client = new SqsClientProxy({ endpoint: sqs.endpoint, routes: { step: queueUrl } });
    try {
      const groups = Array.from({ length: 50 }, (_, index) => `g${index}`);
      for (let seq = 0; seq < 20; seq += 1) {
        for (const group of groups) client.emit('step', sqsEvent({ group, seq }, { groupId: group }));
      }
      await client.sender.flush();
      const calls = await processed.waitForCalls(1_000, 60_000);
      expect(failures).toBeGreaterThan(0);
      for (const group of groups) {
        expect(calls.filter((call) => call.group === group).map((call) => call.seq)).toEqual(
          Array.from({ length: 20 }, (_, seq) => seq),
        );
      }
    } finally {
      await client.close();
      await consumer.close();
    }
  }, 90_000);

  it('runs groups in parallel: 20 groups of 100 ms handlers take a fraction of their serial time', async () => {
    const name = uniqueName('parallel-groups', true);
    const queues = await sqs.createQueues({ queues: [{ name }] });
    const queueUrl = queues.get(name)?.url ?? '';
    const done = new HandlerSpy<Step>();
    const runningByGroup = new Map<string, number>();
    let running = 0;
    let maxRunning = 0;
    let overlapWithinGroup = false;

    @Controller()
    class Handlers {
      @EventPattern<string>('slow')
      async slow(@Payload() step: Step, @Ctx() ctx: SqsContext): Promise<void> {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        const inGroup = (runningByGroup.get(step.group) ?? 0) + 1;
        runningByGroup.set(step.group, inGroup);
        if (inGroup > 1) overlapWithinGroup = true;
        await simulateWork(100);
        runningByGroup.set(step.group, inGroup - 1);
        running -= 1;
        done.record({ ...step, group: ctx.getGroupId() ?? '' });
      }
    }

    const consumer = await startConsumerApp([Handlers], {
      endpoint: sqs.endpoint,
      queues: [{ url: queueUrl, pollers: 4, waitTimeSeconds: 1 }],
      concurrency: 40,
    });
    const client = new SqsClientProxy({ endpoint: sqs.endpoint, routes: { slow: queueUrl } });
    try {
      const perGroup = 5;
      const started = Date.now();
      for (let seq = 0; seq < perGroup; seq += 1) {
        for (let g = 0; g < 20; g += 1) client.emit('slow', sqsEvent({ group: `g${g}`, seq }, { groupId: `g${g}` }));
      }
      await client.sender.flush();
      const calls = await done.waitForCalls(20 * perGroup, 30_000);
      const elapsed = Date.now() - started;
      const serial = 20 * perGroup * 100;
      expect(overlapWithinGroup).toBe(false);
      expect(maxRunning).toBeGreaterThanOrEqual(10);
      expect(elapsed).toBeLessThan(serial / 2);
      for (let g = 0; g < 20; g += 1) {
        expect(calls.filter((call) => call.group === `g${g}`).map((call) => call.seq)).toEqual([0, 1, 2, 3, 4]);
      }
    } finally {
      await client.close();
      await consumer.close();
    }
  }, 60_000);
});
