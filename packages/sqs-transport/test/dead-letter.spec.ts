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
  it('moves a payload that fails validatePayload to the DLQ with the issues, and hands valid payloads over as validated', async () => {
    const name = uniqueName('schema');
    const dlqName = uniqueName('schema-dlq');
    const queues = await sqs.createQueues({ queues: [{ name, deadLetter: { name: dlqName, maxReceiveCount: 5 } }] });
    const queueUrl = queues.get(name)?.url ?? '';
    const dlqUrl = queues.get(dlqName)?.url ?? '';
    const handled = new HandlerSpy<unknown>();

    @Controller()
    class Handlers {
      @EventPattern<string>('sized')
      sized(@Payload() payload: unknown): void {
        handled.record(payload);
      }
    }
    const consumer = await startConsumerApp([Handlers], {
      endpoint: sqs.endpoint,
      queues: [{ url: queueUrl, waitTimeSeconds: 1 }],
      validatePayload: (envelope) => {
        const size = (envelope.payload as { size?: unknown }).size;
        return typeof size === 'number'
          ? { ok: true, value: { size } }
          : { ok: false, issues: ['size: expected a number'] };
      },
    });
    try {
      const send = (payload: unknown): Promise<unknown> =>
        sqs.client.send(
          new SendMessageCommand({
            QueueUrl: queueUrl,
            MessageBody: JSON.stringify(createEnvelope({ type: 'sized', payload })),
            MessageAttributes: { type: { DataType: 'String', StringValue: 'sized' } },
          }),
        );
      await send({ size: 'large' });
      await send({ size: 3, extra: 'dropped by the validator' });
      expect(await handled.waitForCalls(1)).toEqual([{ size: 3 }]);
      const [dead] = await waitFor(
        () => receiveAll(sqs.client, dlqUrl).then((messages) => messages.length > 0 && messages),
        {
          description: 'the invalid payload in the DLQ',
        },
      );
      expect(dead?.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.errorCode]?.StringValue).toBe('PAYLOAD_INVALID');
      expect(dead?.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.errorMessage]?.StringValue).toContain(
        'size: expected a number',
      );
    } finally {
      await consumer.close();
    }
  });
});
