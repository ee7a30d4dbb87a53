import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { QUEUES } from '@sqsref/contracts';
import type { JsonClient, TimedResponse } from '@sqsref/service-kit/testing';
import {
  dependencyAnswer,
  jsonClient,
  query,
  QueueCollector,
  queueUrl,
  sendEnvelope,
  timed,
  transportStats,
} from '@sqsref/service-kit/testing';
import type { StallableProxy } from '@sqsref/sqs-transport/testing';
import { waitFor } from '@sqsref/sqs-transport/testing';
import type { OrderView } from '../src/orders/order.schemas.js';
import { newOrder, shipmentEvents } from './support/fixtures.js';
import type { OrderServiceHarness } from './support/order-service.js';
import { startOrderServiceHarness } from './support/order-service.js';

// The documented default bound (DEPENDENCY_TIMEOUT_MS), and the slack allowed over it on a loaded machine.
const BOUND_MS = 5_000;
const MARGIN_MS = 1_000;

jest.setTimeout(60_000);

let harness: OrderServiceHarness;
let api: JsonClient;
let proxy: StallableProxy;

beforeAll(async () => {
  harness = await startOrderServiceHarness({}, { stallableDatabase: true });
  api = jsonClient(harness.service.url);
  proxy = harness.databaseProxy as StallableProxy;
}, 60_000);

afterEach(() => proxy?.resume());

afterAll(async () => {
  await harness?.stop();
});

async function place(body = newOrder(), headers: Record<string, string> = {}): Promise<OrderView> {
  const response = await api.post<OrderView>('/orders', body, headers);
  expect(response.status).toBe(201);
  return response.body;
}

/** A 503 for the database, with Retry-After, in the API's error shape, within the bound. */
function expectDatabaseUnavailable(response: TimedResponse): void {
  expect(dependencyAnswer(response)).toEqual({ status: 503, code: 'DATABASE_UNAVAILABLE', retryAfter: '5' });
  expect(response.body).toMatchObject({ statusCode: 503, message: expect.stringContaining('Retry after 5 s') });
  expect(response.ms).toBeLessThan(BOUND_MS + MARGIN_MS);
}

/** Orders without their order.placed outbox row: a half-written order. Read straight from the database. */
async function ordersWithoutOutboxRow(): Promise<string[]> {
  const rows = await query<{ id: string }>(
    harness.databaseUrl,
    `SELECT o.id::text AS id FROM orders o
     WHERE NOT EXISTS (
       SELECT 1 FROM sqs_outbox x WHERE x.group_id = o.id::text AND x.body LIKE '%"type":"order.placed"%')`,
  );
  return rows.map((row) => row.id);
}

async function ordersWithKey(key: string): Promise<number> {
  const rows = await query<{ n: string }>(
    harness.databaseUrl,
    'SELECT count(*) AS n FROM orders WHERE idempotency_key = $1',
    [key],
  );
  return Number(rows[0]?.n);
}

describe('a stalled database (every connection stopped, as with SIGSTOP)', () => {
  it('answers every endpoint within the bound, 503 DATABASE_UNAVAILABLE with Retry-After where the database is needed; afterwards the same requests succeed and nothing is half-written', async () => {
    const existing = await place();
    const replayKey = `replay-${randomUUID()}`;
    const replayed = await place(newOrder('c-replay'), { 'Idempotency-Key': replayKey });

    // An order whose transaction is cut between its order rows and its outbox row: the stall starts there.
    const cutKey = `cut-${randomUUID()}`;
    proxy.stallOn(/INSERT INTO sqs_outbox/);
    const cut = await timed(api.post('/orders', newOrder('c-cut'), { 'Idempotency-Key': cutKey }));
    expect(proxy.isStalled).toBe(true);
    expectDatabaseUnavailable(cut);

    const [read, cancel, replay, create, stats, health, ready, openApi] = await Promise.all([
      timed(api.get(`/orders/${existing.id}`)),
      timed(api.post(`/orders/${existing.id}/cancel`, {})),
      timed(api.post('/orders', newOrder('c-replay'), { 'Idempotency-Key': replayKey })),
      timed(api.post('/orders', newOrder())),
      timed(api.get('/stats')),
      timed(api.get('/health')),
      timed(api.get('/ready')),
      timed(api.get('/openapi.json')),
    ]);
    for (const response of [read, cancel, replay, create]) expectDatabaseUnavailable(response as TimedResponse);
    for (const response of [stats, health, openApi]) {
      expect(response.status).toBe(200);
      expect(response.ms).toBeLessThan(BOUND_MS + MARGIN_MS);
    }
    expect(ready.status).toBe(503);
    expect(ready.ms).toBeLessThan(BOUND_MS + MARGIN_MS);

    proxy.resume();
    // The same requests succeed (and reuse the pool the stall went through).
    expect((await api.get<OrderView>(`/orders/${existing.id}`)).status).toBe(200);
    expect((await api.post(`/orders/${existing.id}/cancel`, {})).status).toBe(202);
    const again = await api.post<OrderView>('/orders', newOrder('c-replay'), { 'Idempotency-Key': replayKey });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(replayed.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    await waitFor(async () => (await api.get('/ready')).status === 200, { description: 'ready again' });

    // The cut order was rolled back whole; the retry with its key creates it once, with its outbox row.
    expect(await ordersWithKey(cutKey)).toBe(0);
    const retried = await api.post<OrderView>('/orders', newOrder('c-cut'), { 'Idempotency-Key': cutKey });
    expect(retried.status).toBe(201);
    const replayOfRetry = await api.post<OrderView>('/orders', newOrder('c-cut'), { 'Idempotency-Key': cutKey });
    expect(replayOfRetry.body.id).toBe(retried.body.id);
    expect(await ordersWithKey(cutKey)).toBe(1);
    expect(await ordersWithoutOutboxRow()).toEqual([]);
  });

  it('keeps shipment events that arrive during a stall, without dead-lettering them, and applies them once it is over', async () => {
    const order = await place();
    const events = shipmentEvents(order.id);
    const deadLettered = new QueueCollector(
      harness.infrastructure.sqs.client,
      queueUrl(harness.infrastructure, 'shipment-events-dlq.fifo'),
    );
    const before = (await transportStats(api)).heldForOutage;
    proxy.stall();
    for (const envelope of [events.created(), events.labelCreated(), events.dispatched()]) {
      await sendEnvelope(
        harness.infrastructure.sqs.client,
        queueUrl(harness.infrastructure, QUEUES.shipmentEvents),
        envelope,
        {
          groupId: order.id,
        },
      );
    }
    // The consumer holds the first event through at least two in-process attempts, polling paused.
    await waitFor(
      async () => {
        const stats = await transportStats(api);
        return stats.pollingPaused && stats.heldForOutage >= before + 2;
      },
      { timeoutMs: 20_000, intervalMs: 100, description: 'the event held through the stall' },
    );
    proxy.resume();

    await waitFor(async () => (await api.get<OrderView>(`/orders/${order.id}`)).body.status === 'SHIPPED', {
      timeoutMs: 20_000,
      intervalMs: 100,
      description: 'the order shipped after the stall',
    });
    expect(await transportStats(api)).toMatchObject({ pollingPaused: false, deadLettered: 0 });
    expect(await deadLettered.collect()).toEqual([]);
    const { body: shipped } = await api.get<OrderView>(`/orders/${order.id}`);
    expect(shipped.history.map((entry) => entry.type)).toEqual([
      'order.placed',
      'shipment.created',
      'shipment.label_created',
      'shipment.dispatched',
    ]);
  });
});
