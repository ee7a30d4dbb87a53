import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { QUEUES } from '@sqsref/contracts';
import type { JsonClient } from '@sqsref/service-kit/testing';
import {
  dependencyAnswer,
  jsonClient,
  QueueCollector,
  queueUrl,
  sendEnvelope,
  timed,
  transportStats,
} from '@sqsref/service-kit/testing';
import type { Envelope } from '@sqsref/sqs-transport';
import type { StallableProxy } from '@sqsref/sqs-transport/testing';
import { waitFor } from '@sqsref/sqs-transport/testing';
import type { ShipmentView } from '../src/shipments/shipment.schemas.js';
import { placed } from './support/fixtures.js';
import type { ShippingServiceHarness } from './support/shipping-service.js';
import { startShippingServiceHarness } from './support/shipping-service.js';

// A shorter bound than the default, configured as a user would (DEPENDENCY_TIMEOUT_MS), and the slack over it.
const BOUND_MS = 2_000;
const MARGIN_MS = 1_000;

jest.setTimeout(60_000);

let harness: ShippingServiceHarness;
let api: JsonClient;
let proxy: StallableProxy;

beforeAll(async () => {
  harness = await startShippingServiceHarness({ DEPENDENCY_TIMEOUT_MS: String(BOUND_MS) }, { stallableDatabase: true });
  api = jsonClient(harness.service.url);
  proxy = harness.databaseProxy as StallableProxy;
}, 60_000);

afterEach(() => proxy?.resume());

afterAll(async () => {
  await harness?.stop();
});

const sqs = () => harness.infrastructure.sqs.client;
const url = (name: string) => queueUrl(harness.infrastructure, name);

async function shipmentsOf(orderId: string): Promise<ShipmentView[]> {
  return (await api.get<ShipmentView[]>(`/shipments?orderId=${orderId}`)).body;
}

const nonEmpty = <T>(list: T[]): T[] | undefined => (list.length > 0 ? list : undefined);

describe('a stalled database (every connection stopped, as with SIGSTOP)', () => {
  it('answers every endpoint within the bound, 503 DATABASE_UNAVAILABLE with Retry-After where the database is needed, and serves them again afterwards', async () => {
    const order = placed();
    await sendEnvelope(sqs(), url(QUEUES.orderEvents), order, { groupId: order.payload.orderId });
    const [shipment] = await waitFor(async () => nonEmpty(await shipmentsOf(order.payload.orderId)), {
      timeoutMs: 20_000,
      intervalMs: 100,
      description: 'the shipment created',
    });

    proxy.stall();
    const [byOrder, byId, unknown, stats, health, ready, openApi] = await Promise.all([
      timed(api.get(`/shipments?orderId=${order.payload.orderId}`)),
      timed(api.get(`/shipments/${shipment?.id}`)),
      timed(api.get(`/shipments/${randomUUID()}`)),
      timed(api.get('/stats')),
      timed(api.get('/health')),
      timed(api.get('/ready')),
      timed(api.get('/openapi.json')),
    ]);
    for (const response of [byOrder, byId, unknown]) {
      expect(dependencyAnswer(response)).toEqual({ status: 503, code: 'DATABASE_UNAVAILABLE', retryAfter: '2' });
    }
    expect([stats, health, openApi].map((response) => response.status)).toEqual([200, 200, 200]);
    expect(ready.status).toBe(503);
    for (const response of [byOrder, byId, unknown, stats, health, ready, openApi]) {
      expect(response.ms).toBeLessThan(BOUND_MS + MARGIN_MS);
    }

    proxy.resume();
    expect((await api.get(`/shipments/${shipment?.id}`)).status).toBe(200);
    expect(await shipmentsOf(order.payload.orderId)).toHaveLength(1);
    expect((await api.get(`/shipments/${randomUUID()}`)).status).toBe(404);
  });

  it('answers 503 at once when the database drops its connections, and serves again on new ones', async () => {
    proxy.stall();
    const pending = timed(api.get(`/shipments/${randomUUID()}`));
    await waitFor(() => proxy.heldBytes > 0, { description: 'the query held by the stall' });
    proxy.dropConnections();
    proxy.resume();
    const dropped = await pending;
    expect(dependencyAnswer(dropped)).toEqual({ status: 503, code: 'DATABASE_UNAVAILABLE', retryAfter: '2' });
    expect(dropped.ms).toBeLessThan(BOUND_MS);
    expect((await api.get(`/shipments/${randomUUID()}`)).status).toBe(404);
  });

  it('keeps an order placed during a stall, without dead-lettering it, and ships it once when the stall is over', async () => {
    const deadLettered = new QueueCollector(sqs(), url('order-events-dlq.fifo'));
    const published = new QueueCollector(sqs(), url(QUEUES.shipmentEvents));
    const order = placed();
    const orderId = order.payload.orderId;
    const before = (await transportStats(api)).heldForOutage;
    proxy.stall();
    await sendEnvelope(sqs(), url(QUEUES.orderEvents), order, { groupId: orderId });
    await waitFor(
      async () => {
        const stats = await transportStats(api);
        return stats.pollingPaused && stats.heldForOutage >= before + 2;
      },
      { timeoutMs: 20_000, intervalMs: 100, description: 'the order held through the stall' },
    );
    proxy.resume();

    const events = await waitFor(
      async () => {
        const mine = (await published.collect())
          .filter((message) => message.Attributes?.MessageGroupId === orderId)
          .map((message) => (JSON.parse(message.Body ?? '') as Envelope).type);
        return mine.includes('shipment.dispatched') ? mine : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 100, description: 'the order shipped after the stall' },
    );
    expect(events).toEqual(['shipment.created', 'shipment.label_created', 'shipment.dispatched']);
    expect(await shipmentsOf(orderId)).toEqual([expect.objectContaining({ status: 'DISPATCHED' })]);
    expect(await deadLettered.collect()).toEqual([]);
    expect((await transportStats(api)).pollingPaused).toBe(false);
  });
});
