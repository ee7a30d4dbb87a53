import { describe, expect, it } from '@jest/globals';
import type { Message } from '@aws-sdk/client-sqs';
import { InvalidJsonError, PayloadValidationError, UnknownEventTypeError } from '../errors.js';
import { createEnvelope } from '../producer/envelope.js';
import { FakeSqsClient, HandlerSpy, waitFor } from '../testing/index.js';
import { MemoryInbox } from '../testing/memory-inbox.js';
import type { FakeTx } from '../testing/memory-inbox.js';
import { SqsConsumer } from './consumer.js';
import { HeldMessage } from './held-message.js';
import type { Delivery, PipelineOptions, PipelineRoute } from './pipeline.js';
import { createPipeline } from './pipeline.js';
import type { QueueRuntime } from './queue-resolver.js';

const queue: QueueRuntime = {
  url: 'http://sqs.local/000000000000/orders',
  name: 'orders',
  fifo: false,
  visibilityTimeoutSeconds: 30,
  deadLetterQueueUrl: undefined,
  maxReceiveCount: undefined,
};

const held = (body: string, type?: string): HeldMessage => {
  const raw: Message = {
    MessageId: 'm1',
    ReceiptHandle: 'rh1',
    Body: body,
    ...(type ? { MessageAttributes: { type: { DataType: 'String', StringValue: type } } } : {}),
  };
  return new HeldMessage(queue, raw, 0);
};

function setup(routes: Record<string, Omit<PipelineRoute, 'handle'>>, options: PipelineOptions = {}) {
  const deliveries: Delivery[] = [];
  const pipeline = createPipeline((eventType) => {
    const route = routes[eventType];
    return route
      ? {
          ...route,
          handle: async (delivery) => {
            deliveries.push(delivery);
            (delivery.transaction as FakeTx | undefined)?.writes.push(`write ${delivery.envelope.id}`);
          },
        }
      : undefined;
  }, options);
  return { pipeline, deliveries };
}

const placed = createEnvelope({ type: 'order.placed', payload: { orderId: 'o-1', extra: true } });

describe('createPipeline', () => {
  it('decodes the envelope and calls the route of its type with the payload', async () => {
    const { pipeline, deliveries } = setup({ 'order.placed': {} });
    await expect(pipeline(held(JSON.stringify(placed)))).resolves.toEqual({});
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ eventType: 'order.placed', payload: placed.payload, transaction: undefined });
    expect(deliveries[0]?.envelope.id).toBe(placed.id);
  });

  it('fails a type attribute without a route before parsing the body, and an unknown envelope type after', async () => {
    const { pipeline, deliveries } = setup({ 'order.placed': {} });
    await expect(pipeline(held('not json', 'order.cancelled'))).rejects.toBeInstanceOf(UnknownEventTypeError);
    await expect(pipeline(held('not json'))).rejects.toBeInstanceOf(InvalidJsonError);
    const other = createEnvelope({ type: 'order.cancelled', payload: {} });
    await expect(pipeline(held(JSON.stringify(other)))).rejects.toBeInstanceOf(UnknownEventTypeError);
    expect(deliveries).toHaveLength(0);
  });

  it('routes by the type attribute over the envelope type', async () => {
    const { pipeline, deliveries } = setup({ 'order.placed.v2': {} });
    await pipeline(held(JSON.stringify(placed), 'order.placed.v2'));
    expect(deliveries[0]?.eventType).toBe('order.placed.v2');
  });

  it('validates the payload: an invalid one never reaches the handler, a valid one arrives as validated', async () => {
    const { pipeline, deliveries } = setup(
      { 'order.placed': {} },
      {
        validatePayload: (envelope) => {
          const payload = envelope.payload as { orderId?: unknown };
          return typeof payload.orderId === 'string'
            ? { ok: true, value: { orderId: payload.orderId } }
            : { ok: false, issues: ['orderId must be a string'] };
        },
      },
    );
    const invalid = createEnvelope({ type: 'order.placed', payload: { orderId: 7 } });
    await expect(pipeline(held(JSON.stringify(invalid)))).rejects.toBeInstanceOf(PayloadValidationError);
    await pipeline(held(JSON.stringify(placed)));
    expect(deliveries.map((delivery) => delivery.payload)).toEqual([{ orderId: 'o-1' }]);
  });

  it('runs an idempotent route in the inbox transaction, keyed <name>:<type> by default, and skips a duplicate', async () => {
    const inbox = new MemoryInbox();
    const { pipeline, deliveries } = setup({ 'order.placed': { inbox: 'transaction' } }, { name: 'shipping', inbox });
    await expect(pipeline(held(JSON.stringify(placed)))).resolves.toEqual({ duplicate: false });
    await expect(pipeline(held(JSON.stringify(placed)))).resolves.toEqual({ duplicate: true });
    expect(deliveries).toHaveLength(1);
    expect(inbox.rows).toEqual(new Set([`shipping:order.placed\u0000${placed.id}`]));
    expect(inbox.committedWrites).toEqual([`write ${placed.id}`]);
  });

  it('lets the core consumer run with a lease-mode inbox without Nest: a redelivered event runs once, both copies go', async () => {
    const fake = new FakeSqsClient();
    const queueUrl = fake.createQueue('orders');
    fake.enqueue(queueUrl, JSON.stringify(placed));
    fake.enqueue(queueUrl, JSON.stringify(placed));
    const inbox = new MemoryInbox();
    const ran = new HandlerSpy<string>();
    const consumer = new SqsConsumer(
      { client: fake.asClient(), queues: [{ url: queueUrl, pollers: 1, waitTimeSeconds: 1 }], concurrency: 1 },
      createPipeline(
        (eventType) =>
          eventType === 'order.placed'
            ? { inbox: 'lease', handle: async (delivery) => ran.record(delivery.envelope.id) }
            : undefined,
        { inbox },
      ),
    );
    const duplicates: boolean[] = [];
    consumer.events.on('processed', (event) => duplicates.push(event.duplicate));
    await consumer.start();
    try {
      await waitFor(() => duplicates.length === 2, { description: 'both copies processed' });
      await waitFor(() => fake.messages(queueUrl).length === 0, { description: 'both copies deleted' });
      expect(ran.calls).toEqual([placed.id]);
      expect(duplicates.sort()).toEqual([false, true]);
    } finally {
      await consumer.stop();
    }
  });
});
