import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { QUEUES } from '@sqsref/contracts';
import type { JsonClient } from '@sqsref/service-kit/testing';
import { deadLetters, jsonClient, QueueCollector, queueUrl, sendEnvelope, sendRaw } from '@sqsref/service-kit/testing';
import type { Envelope } from '@sqsref/sqs-transport';
import { createEnvelope } from '@sqsref/sqs-transport';
import { waitFor } from '@sqsref/sqs-transport/testing';
import { OrderView } from '../src/orders/order.schemas.js';
import { newOrder, shipmentEvents } from './support/fixtures.js';
import type { OrderServiceHarness } from './support/order-service.js';
import { startOrderServiceHarness } from './support/order-service.js';

type Order = OrderView;
interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  errors?: Array<{ field: string; message: string }>;
  status?: string;
}

jest.setTimeout(30_000);

let harness: OrderServiceHarness;
let api: JsonClient;
/** What the service sent to order-events.fifo (nobody consumes it here), and what its consumer dead-lettered. */
let published: QueueCollector;
let deadLettered: QueueCollector;

beforeAll(async () => {
  harness = await startOrderServiceHarness();
  api = jsonClient(harness.service.url);
  published = new QueueCollector(sqs(), url(QUEUES.orderEvents));
  deadLettered = new QueueCollector(sqs(), url('shipment-events-dlq.fifo'));
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

const sqs = () => harness.infrastructure.sqs.client;
const url = (name: string) => queueUrl(harness.infrastructure, name);

/** The envelopes the service published for an order, oldest first. */
async function publishedFor(orderId: string): Promise<Envelope[]> {
  return (await published.collect())
    .filter((message) => message.Attributes?.MessageGroupId === orderId)
    .map((message) => JSON.parse(message.Body ?? '') as Envelope);
}

async function place(body = newOrder(), headers: Record<string, string> = {}): Promise<Order> {
  const response = await api.post<Order>('/orders', body, headers);
  expect(response.status).toBe(201);
  return response.body;
}

async function counts(): Promise<number[]> {
  const prisma = harness.service.prisma;
  return Promise.all([prisma.order.count(), prisma.orderHistory.count(), prisma.sqsOutbox.count()]);
}

function waitForOrder(id: string, predicate: (order: Order) => boolean, description: string): Promise<Order> {
  return waitFor(
    async () => {
      const { body } = await api.get<Order>(`/orders/${id}`);
      return predicate(body) ? body : undefined;
    },
    { timeoutMs: 15_000, intervalMs: 50, description },
  );
}

describe('POST /orders', () => {
  it('answers 201 with the order, and publishes order.placed grouped by order id with the correlation id', async () => {
    const response = await api.post<Order>('/orders', newOrder(), { 'X-Correlation-Id': 'corr-api-1' });
    expect(response.status).toBe(201);
    expect(OrderView.parse(response.body)).toBeTruthy();
    const order = response.body;
    expect(response.headers.get('location')).toBe(`/orders/${order.id}`);
    expect(response.headers.get('x-correlation-id')).toBe('corr-api-1');
    expect(order).toMatchObject({ status: 'PENDING', shipment: null, cancellation: null, ...newOrder() });
    expect(order.history.map((entry) => entry.type)).toEqual(['order.placed']);

    const [placed] = await waitFor(
      async () => {
        const events = await publishedFor(order.id);
        return events.length > 0 ? events : undefined;
      },
      { description: 'order.placed on order-events.fifo' },
    );
    expect(placed).toMatchObject({
      id: order.history[0]?.eventId,
      type: 'order.placed',
      version: 1,
      correlationId: 'corr-api-1',
      payload: { orderId: order.id, customerId: 'c-1', items: newOrder().items },
    });
  });

  it('returns the same order for the same Idempotency-Key, also to concurrent requests', async () => {
    const key = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => api.post<Order>('/orders', newOrder('c-idem'), { 'Idempotency-Key': key })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(201));
    const ids = new Set(responses.map((response) => response.body.id));
    expect(ids.size).toBe(1);
    expect(responses.filter((response) => response.headers.get('idempotent-replayed') === 'true')).toHaveLength(7);
    const [id] = [...ids] as [string];
    expect(await harness.service.prisma.order.count({ where: { idempotencyKey: key } })).toBe(1);
    expect(await harness.service.prisma.sqsOutbox.count({ where: { groupId: id } })).toBe(1);

    // The same body with its keys in another order is the same request.
    const reordered = { shippingAddress: newOrder().shippingAddress, items: newOrder().items, customerId: 'c-idem' };
    const again = await api.post<Order>('/orders', reordered, { 'Idempotency-Key': key });
    expect(again).toMatchObject({ status: 201, body: { id } });
  });

  it('refuses the same Idempotency-Key with a different body (422), and creates nothing', async () => {
    const key = randomUUID();
    const first = await place(newOrder('c-a'), { 'Idempotency-Key': key });
    const before = await counts();
    const response = await api.post<ErrorBody>('/orders', newOrder('c-b'), { 'Idempotency-Key': key });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', orderId: first.id });
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['an empty body', {}, ['customerId', 'items', 'shippingAddress']],
    ['no items', { ...newOrder(), items: [] }, ['items']],
    [
      'a zero quantity and an empty sku',
      { ...newOrder(), items: [{ sku: '', quantity: 0 }] },
      ['items.0.sku', 'items.0.quantity'],
    ],
    [
      'a bad country',
      { ...newOrder(), shippingAddress: { ...newOrder().shippingAddress, country: 'Germany' } },
      ['shippingAddress.country'],
    ],
    ['a list', '[]', ['(body)']],
  ])('answers 400 with the field errors for %s, and writes nothing', async (_name, body, fields) => {
    const before = await counts();
    const response = await api.post<ErrorBody>('/orders', body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(response.body.errors?.map((error) => error.field).sort()).toEqual([...fields].sort());
    for (const error of response.body.errors ?? []) expect(error.message.length).toBeGreaterThan(0);
    expect(await counts()).toEqual(before);
  });

  it('answers 400 INVALID_JSON for a malformed body, and 400 for a malformed Idempotency-Key', async () => {
    const before = await counts();
    const malformed = await api.post<ErrorBody>('/orders', '{"customerId": ');
    expect(malformed).toMatchObject({ status: 400, body: { code: 'INVALID_JSON', errors: [{ field: '(body)' }] } });
    const badKey = await api.post<ErrorBody>('/orders', newOrder(), { 'Idempotency-Key': 'has spaces in it' });
    expect(badKey).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', errors: [{ field: 'Idempotency-Key' }] },
    });
    expect(await counts()).toEqual(before);
  });
});

describe('GET /orders/:id', () => {
  it('answers 404 ORDER_NOT_FOUND for an unknown order and 400 for a malformed id', async () => {
    expect(await api.get(`/orders/${randomUUID()}`)).toMatchObject({ status: 404, body: { code: 'ORDER_NOT_FOUND' } });
    expect(await api.get('/orders/not-a-uuid')).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', errors: [{ field: 'id' }] },
    });
  });
});

describe('POST /orders/:id/cancel', () => {
  it('answers 202 and publishes order.cancelled once; a repeated request is accepted without a second event', async () => {
    const order = await place();
    const first = await api.post<Order>(`/orders/${order.id}/cancel`, { reason: 'changed my mind' });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: 'CANCEL_REQUESTED', cancellation: { reason: 'changed my mind' } });
    const second = await api.post<Order>(`/orders/${order.id}/cancel`);
    expect(second).toMatchObject({ status: 202, body: { status: 'CANCEL_REQUESTED' } });
    // An event is written to the outbox in the request's own transaction: once both requests answered, every event
    // they will ever publish is there.
    const outboxTypes = async () =>
      (await harness.service.prisma.sqsOutbox.findMany({ where: { groupId: order.id }, orderBy: { seq: 'asc' } })).map(
        (row) => (row.attributes as { type?: string }).type,
      );
    expect(await outboxTypes()).toEqual(['order.placed', 'order.cancelled']);

    const published = await waitFor(
      async () => {
        const events = await publishedFor(order.id);
        return events.length >= 2 ? events : undefined;
      },
      { description: 'order.placed and order.cancelled' },
    );
    expect(published.map((event) => event.type)).toEqual(['order.placed', 'order.cancelled']);
    expect(published[1]?.payload).toMatchObject({ orderId: order.id, reason: 'changed my mind' });
    const history = (await api.get<Order>(`/orders/${order.id}`)).body.history.map((entry) => entry.type);
    expect(history).toEqual(['order.placed', 'order.cancelled']);
  });

  it('answers 404 for an unknown order and 400 for a bad body', async () => {
    expect(await api.post(`/orders/${randomUUID()}/cancel`)).toMatchObject({
      status: 404,
      body: { code: 'ORDER_NOT_FOUND' },
    });
    const order = await place();
    expect(await api.post(`/orders/${order.id}/cancel`, { reason: '' })).toMatchObject({
      status: 400,
      body: { errors: [{ field: 'reason' }] },
    });
  });
});

describe('shipment events', () => {
  it('move the order to SHIPPED, each applied once however often it arrives; then cancel is a 409', async () => {
    const order = await place();
    const shipment = shipmentEvents(order.id);
    for (const envelope of [shipment.created(), shipment.labelCreated(), shipment.dispatched()]) {
      // Each twice, with different deduplication ids: SQS delivers both, the inbox absorbs the second.
      await sendEnvelope(sqs(), url(QUEUES.shipmentEvents), envelope, { groupId: order.id });
      await sendEnvelope(sqs(), url(QUEUES.shipmentEvents), envelope, { groupId: order.id });
    }
    const shipped = await waitForOrder(order.id, (o) => o.status === 'SHIPPED', 'order SHIPPED');
    expect(shipped.shipment).toEqual({
      id: shipment.shipmentId,
      status: 'DISPATCHED',
      carrier: 'TEST',
      trackingNumber: `T-${order.id}`,
    });
    expect(shipped.history.map((entry) => [entry.type, entry.status])).toEqual([
      ['order.placed', 'PENDING'],
      ['shipment.created', 'SHIPMENT_CREATED'],
      ['shipment.label_created', 'LABEL_CREATED'],
      ['shipment.dispatched', 'SHIPPED'],
    ]);
    const cancel = await api.post<ErrorBody>(`/orders/${order.id}/cancel`);
    expect(cancel).toMatchObject({ status: 409, body: { code: 'ORDER_ALREADY_SHIPPED', status: 'SHIPPED' } });
  });

  it('end a cancellation shipping accepted in CANCELLED, and one it rejected in SHIPPED', async () => {
    const accepted = await place();
    const rejected = await place();
    await api.post(`/orders/${accepted.id}/cancel`);
    const a = shipmentEvents(accepted.id);
    for (const envelope of [a.created(), a.cancelled()]) {
      await sendEnvelope(sqs(), url(QUEUES.shipmentEvents), envelope, { groupId: accepted.id });
    }
    const r = shipmentEvents(rejected.id);
    await sendEnvelope(sqs(), url(QUEUES.shipmentEvents), r.created(), { groupId: rejected.id });
    await sendEnvelope(sqs(), url(QUEUES.shipmentEvents), r.labelCreated(), { groupId: rejected.id });
    await waitForOrder(rejected.id, (o) => o.status === 'LABEL_CREATED', 'label created');
    expect((await api.post<Order>(`/orders/${rejected.id}/cancel`)).status).toBe(202);
    for (const envelope of [r.dispatched(), r.cancelRejected()]) {
      await sendEnvelope(sqs(), url(QUEUES.shipmentEvents), envelope, { groupId: rejected.id });
    }

    const cancelled = await waitForOrder(accepted.id, (o) => o.status === 'CANCELLED', 'order CANCELLED');
    expect(cancelled.history.map((entry) => entry.type)).toEqual([
      'order.placed',
      'order.cancelled',
      'shipment.created',
      'shipment.cancelled',
    ]);
    expect(cancelled.history.map((entry) => entry.status)).toEqual([
      'PENDING',
      'CANCEL_REQUESTED',
      'CANCEL_REQUESTED',
      'CANCELLED',
    ]);
    const shipped = await waitForOrder(
      rejected.id,
      (o) => o.history.some((entry) => entry.type === 'shipment.cancel_rejected'),
      'cancel rejected',
    );
    expect(shipped.status).toBe('SHIPPED');
    expect(shipped.history.map((entry) => entry.status)).toEqual([
      'PENDING',
      'SHIPMENT_CREATED',
      'LABEL_CREATED',
      'CANCEL_REQUESTED',
      'SHIPPED',
      'SHIPPED',
    ]);
    expect((await api.post<ErrorBody>(`/orders/${accepted.id}/cancel`)).body.code).toBe('ORDER_ALREADY_CANCELLED');
  });

  it('dead-letters an impossible transition and a payload that breaks the contract, with the reason', async () => {
    const order = await place();
    const shipment = shipmentEvents(order.id);
    const dispatched = shipment.dispatched();
    await sendEnvelope(sqs(), url(QUEUES.shipmentEvents), dispatched, { groupId: order.id });
    const broken = createEnvelope({ type: 'shipment.created', payload: { orderId: order.id, shipmentId: 'nope' } });
    await sendEnvelope(sqs(), url(QUEUES.shipmentEvents), broken, { groupId: randomUUID() });

    const letters = await waitFor(
      async () => {
        const found = deadLetters(await deadLettered.collect());
        const mine = found.filter((letter) => [dispatched.id, broken.id].includes(JSON.parse(letter.body).id));
        return mine.length === 2 ? mine : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 200, description: 'both messages in the DLQ' },
    );
    const byId = new Map(letters.map((letter) => [JSON.parse(letter.body).id as string, letter]));
    expect(byId.get(dispatched.id)).toMatchObject({ type: 'shipment.dispatched', errorCode: 'NON_RETRYABLE' });
    expect(byId.get(dispatched.id)?.errorMessage).toMatch(/cannot apply shipment\.dispatched in status PENDING/);
    expect(byId.get(broken.id)).toMatchObject({ errorCode: 'PAYLOAD_INVALID' });
    expect(byId.get(broken.id)?.errorMessage).toMatch(/shipmentId/);
    expect((await api.get<Order>(`/orders/${order.id}`)).body).toMatchObject({ status: 'PENDING', shipment: null });
  });

  it('retries an event for an order it does not know (yet) instead of dropping or dead-lettering it at once', async () => {
    const unknown = randomUUID();
    const envelope = shipmentEvents(unknown).created();
    const retries: number[] = [];
    harness.service.server.onEvent('retried', (event) => {
      if (event.groupId === unknown) retries.push(event.receiveCount);
    });
    await sendEnvelope(sqs(), url(QUEUES.shipmentEvents), envelope, { groupId: unknown });
    await waitFor(() => retries.length >= 2, { timeoutMs: 15_000, description: 'two retries' });
    expect(retries.slice(0, 2)).toEqual([1, 2]);
    expect(await harness.service.prisma.order.count({ where: { id: unknown } })).toBe(0);
  });

  it('dead-letters a message that is not an envelope', async () => {
    await sendRaw(sqs(), url(QUEUES.shipmentEvents), 'not json', { type: 'shipment.created' });
    const letter = await waitFor(
      async () => deadLetters(await deadLettered.collect()).find((l) => l.body === 'not json'),
      { timeoutMs: 15_000, intervalMs: 200, description: 'the message in the DLQ' },
    );
    expect(letter.errorCode).toBe('INVALID_JSON');
  });
});

describe('operations', () => {
  it('serves /health, /ready (database and queues) and the OpenAPI document', async () => {
    expect(await api.get('/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await api.get<{ status: string; details: Record<string, { status: string }> }>('/ready');
    expect(ready).toMatchObject({
      status: 200,
      body: { status: 'ok', details: { database: { status: 'up' }, queues: { status: 'up' } } },
    });
    const openapi = await api.get<{ paths: Record<string, Record<string, unknown>>; components: { schemas: object } }>(
      '/openapi.json',
    );
    expect(openapi.status).toBe(200);
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining(['/orders', '/orders/{id}', '/orders/{id}/cancel', '/health', '/ready']),
    );
    expect(Object.keys(openapi.body.paths['/orders']?.post ?? {})).toEqual(expect.arrayContaining(['requestBody']));
    expect(Object.keys(openapi.body.components.schemas)).toEqual(
      expect.arrayContaining(['CreateOrder', 'Order', 'Error']),
    );
  });
});
