import { describe, expect, it } from '@jest/globals';
import type { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { MissingGroupIdError, NoRouteError } from '../errors.js';
import { FakeSqsClient } from '../testing/index.js';
import type { EventSenderOptions } from './event-sender.js';
import { EventSender } from './event-sender.js';
import { parseEnvelope } from '../consumer/parse-envelope.js';
import { createEnvelope } from './envelope.js';

type BatchInput = SendMessageBatchCommand['input'];

function setup(
  routes: (urls: { standard: string; fifo: string }) => Record<string, string>,
  options: Partial<EventSenderOptions> = {},
) {
  const fake = new FakeSqsClient();
  const standard = fake.createQueue('jobs');
  const fifo = fake.createQueue('orders.fifo');
  const sender = new EventSender({ client: fake.asClient(), routes: routes({ standard, fifo }), ...options });
  return { fake, standard, fifo, sender };
}

describe('EventSender options', () => {
  const client = new FakeSqsClient().asClient();

  it.each([[undefined], [null], [{}]])('requires at least one route (%p)', (routes) => {
    expect(() => new EventSender({ client, routes: routes as unknown as Record<string, string> })).toThrow(
      'Invalid option "routes": must map at least one event type (or "*") to a queue URL or name',
    );
  });

  it.each([[''], ['  '], [7]])('rejects a route target that is not a URL or name (%p)', (target) => {
    expect(() => new EventSender({ client, routes: { 'order.placed': target as unknown as string } })).toThrow(
      'Invalid option "routes["order.placed"]": must be a queue URL or name',
    );
  });

  it.each<[Partial<EventSenderOptions>, string]>([
    [{ maxMessageBytes: 1_023 }, '"maxMessageBytes": must be an integer from 1024 to 1048576'],
    [{ maxMessageBytes: 1_048_577 }, '"maxMessageBytes": must be an integer from 1024 to 1048576'],
    [{ flushIntervalMs: 1_001 }, '"flushIntervalMs": must be an integer from 0 to 1000'],
    [{ maxAttempts: 0 }, '"maxAttempts": must be an integer from 1 to 20'],
  ])('validates %p', (options, message) => {
    expect(() => new EventSender({ client, routes: { '*': 'q' }, ...options })).toThrow(message);
  });
});

describe('EventSender', () => {
  it('wraps the payload in an envelope, sets the `type` attribute, and resolves with the envelope and message id', async () => {
    const { fake, standard, sender } = setup(({ standard: url }) => ({ 'job.requested': url }));
    const sent = await sender.emit({ type: 'job.requested', payload: { n: 1 }, correlationId: 'flow-1' });

    const [stored] = fake.messages(standard);
    expect(sent.messageId).toBe(stored?.id);
    expect(parseEnvelope(stored?.body)).toEqual(sent.envelope);
    expect(sent.envelope).toMatchObject({ type: 'job.requested', payload: { n: 1 }, correlationId: 'flow-1' });
    expect(stored?.attributes).toEqual({ type: { DataType: 'String', StringValue: 'job.requested' } });
    // A standard queue gets no FIFO fields.
    expect(stored?.groupId).toBeUndefined();
    expect(stored?.deduplicationId).toBeUndefined();
  });

  it('propagates trace context as the `traceparent` attribute', async () => {
    const { fake, standard, sender } = setup(({ standard: url }) => ({ '*': url }));
    await sender.emit(
      { type: 't', payload: {} },
      { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    );
    expect(fake.messages(standard)[0]?.attributes.traceparent).toEqual({
      DataType: 'String',
      StringValue: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
  });

  it('routes by type, falls back to "*", and rejects an unrouted type with NoRouteError', async () => {
    const { fake, standard, fifo, sender } = setup(({ standard: s, fifo: f }) => ({ 'order.placed': f, '*': s }));
    await sender.emit({ type: 'order.placed', payload: {} }, { groupId: 'o-1' });
    await sender.emit({ type: 'anything.else', payload: {} });
    expect(fake.messages(fifo)).toHaveLength(1);
    expect(fake.messages(standard)).toHaveLength(1);

    const strict = setup(({ standard: s }) => ({ 'order.placed': s })).sender;
    const attempt = strict.emit({ type: 'order.shipped', payload: {} });
    await expect(attempt).rejects.toBeInstanceOf(NoRouteError);
    await expect(attempt).rejects.toMatchObject({ code: 'NO_ROUTE', retryable: false, eventType: 'order.shipped' });
  });

  it('requires a group id for a FIFO queue: MissingGroupIdError, nothing sent', async () => {
    const { fake, fifo, sender } = setup(({ fifo: f }) => ({ '*': f }));
    const attempt = sender.emit({ type: 'order.placed', payload: {} });
    await expect(attempt).rejects.toBeInstanceOf(MissingGroupIdError);
    await expect(attempt).rejects.toMatchObject({ code: 'MISSING_GROUP_ID', retryable: false });
    await expect(attempt).rejects.toThrow(fifo);
    expect(fake.callsOf('SendMessageBatchCommand')).toHaveLength(0);
  });

  it('sets the group and uses the event id as the deduplication id on FIFO queues', async () => {
    const { fake, fifo, sender } = setup(({ fifo: f }) => ({ '*': f }));
    const sent = await sender.emit({ type: 'order.placed', payload: {}, id: 'event-1' }, { groupId: 'order-1' });
    expect(sent.envelope.id).toBe('event-1');
    expect(fake.messages(fifo)[0]).toMatchObject({ groupId: 'order-1', deduplicationId: 'event-1' });
  });

  it("takes the group from groupIdFor when the caller gives none, the caller's group first", async () => {
    const { fake, fifo, sender } = setup(({ fifo: f }) => ({ '*': f }), {
      groupIdFor: (envelope) => (envelope.payload as { orderId: string }).orderId,
    });
    await sender.emit({ type: 'order.placed', payload: { orderId: 'o-9' } });
    await sender.emit({ type: 'order.placed', payload: { orderId: 'o-9' } }, { groupId: 'explicit' });
    expect(fake.messages(fifo).map((message) => message.groupId)).toEqual(['o-9', 'explicit']);
  });

  it('resends a complete envelope with its original id', async () => {
    const { fake, sender } = setup(({ fifo: f }) => ({ '*': f }));
    const envelope = createEnvelope({ type: 'order.placed', payload: {}, id: 'event-5' });
    await sender.sendEnvelope(envelope, { groupId: 'g' });
    await sender.sendEnvelope(envelope, { groupId: 'g' });
    const inputs = fake.callsOf('SendMessageBatchCommand').map((call) => call.input as BatchInput);
    expect(inputs.flatMap((input) => input.Entries?.map((entry) => entry.MessageDeduplicationId))).toEqual([
      'event-5',
      'event-5',
    ]);
  });

  it('resolves a queue name once with GetQueueUrl and detects FIFO from the resolved URL', async () => {
    const { fake, fifo, sender } = setup(() => ({ 'order.placed': 'orders.fifo', 'job.requested': 'jobs' }));
    await Promise.all([
      sender.emit({ type: 'order.placed', payload: {} }, { groupId: 'a' }),
      sender.emit({ type: 'order.placed', payload: {} }, { groupId: 'b' }),
    ]);
    await sender.emit({ type: 'order.placed', payload: {} }, { groupId: 'c' });
    await sender.emit({ type: 'job.requested', payload: {} });
    const lookups = fake.callsOf('GetQueueUrlCommand').map((call) => (call.input as { QueueName: string }).QueueName);
    expect(lookups).toEqual(['orders.fifo', 'jobs']);
    expect(fake.messages(fifo).map((message) => message.groupId)).toEqual(['a', 'b', 'c']);
    await expect(sender.emit({ type: 'order.placed', payload: {} })).rejects.toBeInstanceOf(MissingGroupIdError);
  });

  it('does not cache a failed lookup: the next send asks again', async () => {
    const { fake, sender } = setup(() => ({ '*': 'late' }));
    await expect(sender.emit({ type: 't', payload: {} })).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
    const late = fake.createQueue('late');
    await sender.emit({ type: 't', payload: {} });
    expect(fake.callsOf('GetQueueUrlCommand')).toHaveLength(2);
    expect(fake.messages(late)).toHaveLength(1);
  });

  it('does not look up URL routes', async () => {
    const { fake, sender } = setup(({ standard }) => ({ '*': standard }));
    await sender.emit({ type: 't', payload: {} });
    expect(fake.callsOf('GetQueueUrlCommand')).toHaveLength(0);
  });

  it('rejects an event larger than maxMessageBytes before sending', async () => {
    const { fake, sender } = setup(({ standard }) => ({ '*': standard }), { maxMessageBytes: 1_024 });
    await expect(sender.emit({ type: 't', payload: 'x'.repeat(2_000) })).rejects.toMatchObject({
      code: 'MESSAGE_TOO_LARGE',
    });
    expect(fake.callsOf('SendMessageBatchCommand')).toHaveLength(0);
  });

  it('batches concurrent emits and refuses emits after close', async () => {
    const { fake, standard, sender } = setup(({ standard: url }) => ({ '*': url }));
    await Promise.all(Array.from({ length: 12 }, (_, n) => sender.emit({ type: 't', payload: { n } })));
    expect(fake.callsOf('SendMessageBatchCommand').map((call) => (call.input as BatchInput).Entries?.length)).toEqual([
      10, 2,
    ]);
    expect(fake.messages(standard)).toHaveLength(12);
    await sender.close();
    await expect(sender.emit({ type: 't', payload: {} })).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
  });
});
