import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { Controller, UseFilters } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { createEnvelope, DEAD_LETTER_ATTRIBUTES, NonRetryableError, SqsExceptionFilter } from '../src/index.js';
import type { SqsEmulator } from '../src/testing/index.js';
import { HandlerSpy, startSqsEmulator, waitFor } from '../src/testing/index.js';
import { startConsumerApp } from './support/app.js';
import { receiveAll, uniqueName } from './support/queues.js';

describe('non-retryable failures go to the DLQ at once (fauxqs)', () => {
  let sqs: SqsEmulator;
  beforeAll(async () => {
    sqs = await startSqsEmulator();
  });
  afterAll(async () => {
    await sqs.stop();
  });

  it.each([false, true])(
    'moves invalid JSON, an unknown type and a NonRetryableError to the DLQ with the reason (fifo: %p), and keeps consuming',
    async (fifo) => {
      const name = uniqueName('poison', fifo);
      const dlqName = uniqueName('poison-dlq', fifo);
      const queues = await sqs.createQueues({ queues: [{ name, deadLetter: { name: dlqName, maxReceiveCount: 5 } }] });
      const queueUrl = queues.get(name)?.url ?? '';
      const dlqUrl = queues.get(dlqName)?.url ?? '';
      const handled = new HandlerSpy<string>();

      @Controller()
      @UseFilters(new SqsExceptionFilter())
      class Handlers {
        @EventPattern<string>('known')
        known(@Payload() payload: { note: string }): void {
          if (payload.note === 'refuse') throw new NonRetryableError('this order can never be shipped');
          handled.record(payload.note);
        }
      }
      const consumer = await startConsumerApp([Handlers], {
        endpoint: sqs.endpoint,
        queues: [{ url: queueUrl, waitTimeSeconds: 1 }],
      });
      const send = (body: string, type: string | undefined, group: string): Promise<unknown> =>
        sqs.client.send(
          new SendMessageCommand({
            QueueUrl: queueUrl,
            MessageBody: body,
            ...(type ? { MessageAttributes: { type: { DataType: 'String', StringValue: type } } } : {}),
            ...(fifo ? { MessageGroupId: group, MessageDeduplicationId: `${group}-${body.length}` } : {}),
          }),
        );
      try {
        await send('{not json', undefined, 'a');
        await send(JSON.stringify(createEnvelope({ type: 'mystery', payload: {} })), 'mystery', 'b');
        await send(JSON.stringify(createEnvelope({ type: 'known', payload: { note: 'refuse' } })), 'known', 'c');
        await send(JSON.stringify(createEnvelope({ type: 'known', payload: { note: 'fine' } })), 'known', 'd');
        await handled.waitForCalls(1);

        const dead = new Map<string, Record<string, string>>();
        await waitFor(
          async () => {
            for (const message of await receiveAll(sqs.client, dlqUrl)) {
              const attributes = Object.fromEntries(
                Object.entries(message.MessageAttributes ?? {}).map(([key, value]) => [key, value.StringValue ?? '']),
              );
              dead.set(attributes[DEAD_LETTER_ATTRIBUTES.errorCode] ?? '', {
                ...attributes,
                groupId: message.Attributes?.MessageGroupId ?? '',
              });
            }
            return dead.size >= 3;
          },
          { description: 'three messages in the DLQ', timeoutMs: 10_000 },
        );
        expect([...dead.keys()].sort()).toEqual(['INVALID_JSON', 'NON_RETRYABLE', 'UNKNOWN_EVENT_TYPE']);
        for (const attributes of dead.values()) {
          expect(attributes[DEAD_LETTER_ATTRIBUTES.sourceQueue]).toBe(queueUrl);
          expect(attributes[DEAD_LETTER_ATTRIBUTES.receiveCount]).toBe('1');
          expect(attributes[DEAD_LETTER_ATTRIBUTES.errorMessage]?.length).toBeGreaterThan(0);
        }
        expect(dead.get('NON_RETRYABLE')?.[DEAD_LETTER_ATTRIBUTES.errorMessage]).toContain('can never be shipped');
        expect(dead.get('UNKNOWN_EVENT_TYPE')?.type).toBe('mystery');
        if (fifo) expect(dead.get('UNKNOWN_EVENT_TYPE')?.groupId).toBe('b');
        expect(handled.calls).toEqual(['fine']);
      } finally {
        await consumer.close();
      }
    },
    30_000,
  );
});
