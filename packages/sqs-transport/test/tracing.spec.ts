import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SpanContext } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { OutboxMessage, OutboxStore } from '../src/index.js';
import {
  createEnvelope,
  createPipeline,
  EventSender,
  NonRetryableError,
  OutboxRelay,
  SqsConsumer,
} from '../src/index.js';
import type { SqsEmulator } from '../src/testing/index.js';
import { HandlerSpy, startSqsEmulator, waitFor } from '../src/testing/index.js';
import { receiveAll, uniqueName } from './support/queues.js';
import type { TestTracing } from './support/tracing.js';
import { startTestTracing } from './support/tracing.js';

interface Handled {
  note: string;
  active: SpanContext | undefined;
}

describe('traces across the queue (fauxqs, in-memory exporter)', () => {
  let sqs: SqsEmulator;
  let tracing: TestTracing;
  beforeAll(async () => {
    tracing = startTestTracing();
    sqs = await startSqsEmulator();
  });
  afterAll(async () => {
    await sqs.stop();
    await tracing.stop();
  });
  beforeEach(() => tracing.reset());

  const named = (name: string): ReadableSpan[] => tracing.spans().filter((span) => span.name === name);

  /** A consumer whose handler records the active span and fails as `payload.note` says. */
  async function consume(queueUrl: string, spy: HandlerSpy<Handled>): Promise<SqsConsumer> {
    const consumer = new SqsConsumer(
      { client: sqs.client, queues: [{ url: queueUrl, waitTimeSeconds: 1 }], retry: { baseDelaySeconds: 60 } },
      createPipeline(() => ({
        handle: async ({ payload }) => {
          const note = (payload as { note: string }).note;
          spy.record({ note, active: trace.getActiveSpan()?.spanContext() });
          if (note === 'refuse') throw new NonRetryableError('never');
          if (note === 'fail') throw new Error('try again');
        },
      })),
    );
    await consumer.start();
    return consumer;
  }

  it('makes the send span a child of the active span and the process span a child of the send span', async () => {
    const name = uniqueName('traced', true);
    const queueUrl = (await sqs.createQueues({ queues: [{ name }] })).get(name)?.url ?? '';
    const spy = new HandlerSpy<Handled>();
    const consumer = await consume(queueUrl, spy);
    const sender = new EventSender({ client: sqs.client, routes: { '*': queueUrl } });
    try {
      const request = await trace.getTracer('test').startActiveSpan('request', async (span) => {
        await sender.emit({ type: 'thing.happened', payload: { note: 'ok' } }, { groupId: 'g-1' });
        span.end();
        return span;
      });
      const [call] = await spy.waitForCalls(1);
      await waitFor(() => named(`process ${name}`).length === 1);

      const [send] = named(`send ${name}`);
      const [process] = named(`process ${name}`);
      expect(send?.kind).toBe(SpanKind.PRODUCER);
      expect(send?.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
      expect(send?.attributes).toMatchObject({
        'messaging.system': 'aws_sqs',
        'messaging.operation.type': 'send',
        'messaging.destination.name': name,
        'messaging.aws.sqs.message_group_id': 'g-1',
        'messaging.sqsref.event_type': 'thing.happened',
      });
      expect(typeof send?.attributes['messaging.message.id']).toBe('string');

      expect(process?.kind).toBe(SpanKind.CONSUMER);
      expect(process?.spanContext().traceId).toBe(request.spanContext().traceId);
      expect(process?.parentSpanContext?.spanId).toBe(send?.spanContext().spanId);
      expect(process?.links.map((link) => link.context.spanId)).toEqual([send?.spanContext().spanId]);
      expect(process?.attributes).toMatchObject({
        'messaging.system': 'aws_sqs',
        'messaging.operation.type': 'process',
        'messaging.destination.name': name,
        'messaging.message.id': send?.attributes['messaging.message.id'],
        'messaging.aws.sqs.message_group_id': 'g-1',
        'messaging.aws.sqs.receive_count': 1,
        'messaging.sqsref.outcome': 'processed',
        'messaging.sqsref.event_type': 'thing.happened',
      });
      // The handler runs with the process span active: what it starts or sends continues the trace.
      expect(call?.active?.spanId).toBe(process?.spanContext().spanId);
    } finally {
      await consumer.stop();
      await sender.close();
    }
  });

  it('records the outcome and the error of failed deliveries', async () => {
    const name = uniqueName('traced-fail');
    const dlqName = uniqueName('traced-fail-dlq');
    const queues = await sqs.createQueues({ queues: [{ name, deadLetter: { name: dlqName, maxReceiveCount: 5 } }] });
    const queueUrl = queues.get(name)?.url ?? '';
    const spy = new HandlerSpy<Handled>();
    const consumer = await consume(queueUrl, spy);
    const sender = new EventSender({ client: sqs.client, routes: { '*': queueUrl } });
    try {
      await sender.emit({ type: 'thing.happened', payload: { note: 'refuse' } });
      await sender.emit({ type: 'thing.happened', payload: { note: 'fail' } });
      await waitFor(() => named(`process ${name}`).length === 2);
      const byOutcome = new Map(
        named(`process ${name}`).map((span) => [span.attributes['messaging.sqsref.outcome'], span]),
      );
      const refused = byOutcome.get('dead_letter');
      expect(refused?.status.code).toBe(SpanStatusCode.ERROR);
      expect(refused?.attributes['error.type']).toBe('NON_RETRYABLE');
      expect(refused?.events.map((event) => event.name)).toContain('exception');
      const failed = byOutcome.get('retry');
      expect(failed?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'try again' });
      expect(failed?.attributes['error.type']).toBe('Error');
    } finally {
      await consumer.stop();
      await sender.close();
    }
  });

  it('starts a new trace for a message whose traceparent is malformed, and still processes it', async () => {
    const name = uniqueName('traced-bad');
    const queueUrl = (await sqs.createQueues({ queues: [{ name }] })).get(name)?.url ?? '';
    const spy = new HandlerSpy<Handled>();
    const consumer = await consume(queueUrl, spy);
    try {
      await sqs.client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(createEnvelope({ type: 'thing.happened', payload: { note: 'ok' } })),
          MessageAttributes: { traceparent: { DataType: 'String', StringValue: '00-not-a-trace-01' } },
        }),
      );
      await spy.waitForCalls(1);
      await waitFor(() => named(`process ${name}`).length === 1);
      const [process] = named(`process ${name}`);
      expect(process?.parentSpanContext).toBeUndefined();
      expect(process?.attributes['messaging.sqsref.outcome']).toBe('processed');
    } finally {
      await consumer.stop();
    }
  });

  it("continues the trace stored with an outbox row in the relay's send, and sends the send span's context", async () => {
    const name = uniqueName('traced-outbox', true);
    const queueUrl = (await sqs.createQueues({ queues: [{ name }] })).get(name)?.url ?? '';
    const stored = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const envelope = createEnvelope({ type: 'thing.happened', payload: { note: 'ok' } });
    const row: OutboxMessage = {
      id: envelope.id,
      queue: name,
      groupId: 'g-1',
      deduplicationId: null,
      body: JSON.stringify(envelope),
      attributes: { type: envelope.type, traceparent: stored, tracestate: 'vendor=1' },
      attempts: 0,
      createdAt: new Date(),
    };
    let claimed = false;
    const store: OutboxStore = {
      claim: async () => (claimed ? [] : ((claimed = true), [row])),
      markSent: async () => undefined,
      markFailed: async () => undefined,
      deleteSentBefore: async () => 0,
    };
    const relay = new OutboxRelay({ store, client: sqs.client, queueUrls: { [name]: queueUrl } });
    expect(await relay.runOnce()).toMatchObject({ sent: 1 });

    const [send] = named(`send ${name}`);
    expect(send?.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(send?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    const [message] = await receiveAll(sqs.client, queueUrl);
    expect(message?.MessageAttributes?.traceparent?.StringValue).toBe(
      `00-0af7651916cd43dd8448eb211c80319c-${send?.spanContext().spanId}-01`,
    );
    expect(message?.MessageAttributes?.tracestate?.StringValue).toBe('vendor=1');
    expect(Object.keys(message?.MessageAttributes ?? {}).sort()).toEqual(['traceparent', 'tracestate', 'type']);
  });
});
