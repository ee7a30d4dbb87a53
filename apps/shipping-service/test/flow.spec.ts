import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { QUEUES } from '@sqsref/contracts';
import type { JsonClient } from '@sqsref/service-kit/testing';
import { deadLetters, jsonClient, QueueCollector, queueUrl, sendEnvelope } from '@sqsref/service-kit/testing';
import type { Envelope } from '@sqsref/sqs-transport';
import { createEnvelope } from '@sqsref/sqs-transport';
import { HandlerSpy, waitFor } from '@sqsref/sqs-transport/testing';
import type { ShipmentView } from '../src/shipments/shipment.schemas.js';
import type { ShippingServiceHarness } from './support/shipping-service.js';
import { startShippingServiceHarness } from './support/shipping-service.js';
import { placed } from './support/fixtures.js';

jest.setTimeout(30_000);

let harness: ShippingServiceHarness;
let api: JsonClient;
let published: QueueCollector;
let deadLettered: QueueCollector;

beforeAll(async () => {
  harness = await startShippingServiceHarness();
  api = jsonClient(harness.service.url);
  published = new QueueCollector(harness.infrastructure.sqs.client, url(QUEUES.shipmentEvents));
  deadLettered = new QueueCollector(harness.infrastructure.sqs.client, url('order-events-dlq.fifo'));
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

function url(name: string): string {
  return queueUrl(harness.infrastructure, name);
}

function cancelled(orderId: string): Envelope {
  return createEnvelope({ type: 'order.cancelled', payload: { orderId, cancelledAt: new Date().toISOString() } });
}

const send = (envelope: Envelope, orderId: string) =>
  sendEnvelope(harness.infrastructure.sqs.client, url(QUEUES.orderEvents), envelope, { groupId: orderId });

/** The events shipping published for an order, oldest first. */
async function eventsFor(orderId: string): Promise<Envelope[]> {
  return (await published.collect())
    .filter((message) => message.Attributes?.MessageGroupId === orderId)
    .map((message) => JSON.parse(message.Body ?? '') as Envelope);
}

async function waitForEvents(orderId: string, types: string[]): Promise<Envelope[]> {
  return waitFor(
    async () => {
      const events = await eventsFor(orderId);
      return types.every((type) => events.some((event) => event.type === type)) ? events : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 100, description: `${types.join(', ')} for ${orderId}` },
  );
}

describe('order.placed', () => {
  it('creates one shipment, buys its label, dispatches it, and says so in order, with the correlation id', async () => {
    const order = placed();
    await send(order, order.payload.orderId);
    const events = await waitForEvents(order.payload.orderId, ['shipment.dispatched']);
    expect(events.map((event) => event.type)).toEqual([
      'shipment.created',
      'shipment.label_created',
      'shipment.dispatched',
    ]);
    for (const event of events) expect(event.correlationId).toBe(order.correlationId);
    expect(events[0]?.causationId).toBe(order.id);

    const { body } = await api.get<ShipmentView[]>(`/shipments?orderId=${order.payload.orderId}`);
    expect(body).toHaveLength(1);
    expect(body[0]).toMatchObject({ status: 'DISPATCHED', label: { carrier: 'SIMCARRIER', voided: false } });
    expect((await api.get(`/shipments/${body[0]?.id}`)).status).toBe(200);
    expect(await harness.service.prisma.carrierLabel.count({ where: { idempotencyKey: body[0]?.id } })).toBe(1);
  });

  it('creates exactly one shipment however often the order arrives, under its id or another', async () => {
    const order = placed();
    const orderId = order.payload.orderId;
    const again = { ...placed(orderId), id: randomUUID() };
    await Promise.all([send(order, orderId), send(order, orderId), send(again, orderId), send(order, orderId)]);
    await waitForEvents(orderId, ['shipment.dispatched']);
    await waitFor(async () => (await harness.service.prisma.sqsInbox.count({ where: { eventId: again.id } })) === 1, {
      description: 'the second event id processed',
    });
    const prisma = harness.service.prisma;
    expect(await prisma.shipment.count({ where: { orderId } })).toBe(1);
    const events = await eventsFor(orderId);
    expect(events.filter((event) => event.type === 'shipment.created')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'shipment.dispatched')).toHaveLength(1);
    const [shipment] = await prisma.shipment.findMany({ where: { orderId } });
    expect(await prisma.carrierLabel.findMany({ where: { idempotencyKey: shipment?.id } })).toEqual([
      expect.objectContaining({ calls: 1 }),
    ]);
  });

  it('dead-letters a payload that breaks the contract, with the issues', async () => {
    const orderId = randomUUID();
    const broken = createEnvelope({ type: 'order.placed', payload: { orderId, items: [] } });
    await send(broken, orderId);
    const letter = await waitFor(
      async () => deadLetters(await deadLettered.collect()).find((l) => JSON.parse(l.body).id === broken.id),
      { timeoutMs: 15_000, intervalMs: 200, description: 'the message in the DLQ' },
    );
    expect(letter.errorCode).toBe('PAYLOAD_INVALID');
    expect(letter.errorMessage).toMatch(/customerId/);
    expect(await harness.service.prisma.shipment.count({ where: { orderId } })).toBe(0);
  });
});

describe('order.cancelled', () => {
  it('cancels a shipment that has not left: shipment.cancelled, and the label job then dispatches nothing', async () => {
    const order = placed();
    const orderId = order.payload.orderId;
    const prisma = harness.service.prisma;
    const labelJobs = new HandlerSpy<boolean>();
    harness.service.server.onEvent('processed', (event) => {
      if (event.groupId === orderId && event.eventType === 'shipment.label_requested') labelJobs.record(true);
    });
    // Hold every label job before its attempt starts (cancelling never touches label_attempts), so the cancellation
    // is decided while the job waits, not in a race against the 200 ms job.
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding = (): void => undefined;
    const held = new Promise<void>((resolve) => {
      holding = resolve;
    });
    const hold = prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`LOCK TABLE label_attempts IN EXCLUSIVE MODE`;
        holding();
        await released;
      },
      { timeout: 25_000 },
    );
    try {
      await held;
      await send(order, orderId);
      await send(cancelled(orderId), orderId);
      const events = await waitForEvents(orderId, ['shipment.cancelled']);
      expect(events.map((event) => event.type)).toEqual(['shipment.created', 'shipment.cancelled']);
      expect((await prisma.shipment.findUniqueOrThrow({ where: { orderId } })).status).toBe('CANCELLED');
    } finally {
      release();
      await hold;
    }

    // The job ran after the cancellation: it skipped, or voided the label it bought; it dispatched nothing.
    await labelJobs.waitForCalls(1, 20_000);
    const shipment = await prisma.shipment.findUniqueOrThrow({ where: { orderId } });
    expect(shipment.status).toBe('CANCELLED');
    const attempts = await prisma.labelAttempt.findMany({ where: { shipmentId: shipment.id } });
    expect(attempts.filter((attempt) => attempt.outcome !== 'voided' && attempt.outcome !== 'skipped')).toEqual([]);
    const written = await prisma.sqsOutbox.findMany({ where: { groupId: orderId } });
    expect(written.map((row) => (row.attributes as { type?: string }).type)).not.toContain('shipment.dispatched');
  });

  it('rejects the cancellation of a dispatched shipment: shipment.cancel_rejected (already_dispatched)', async () => {
    const order = placed();
    const orderId = order.payload.orderId;
    await send(order, orderId);
    await waitForEvents(orderId, ['shipment.dispatched']);
    await send(cancelled(orderId), orderId);
    const events = await waitForEvents(orderId, ['shipment.cancel_rejected']);
    expect(events.at(-1)?.payload).toMatchObject({ orderId, reason: 'already_dispatched' });
    expect((await harness.service.prisma.shipment.findUniqueOrThrow({ where: { orderId } })).status).toBe('DISPATCHED');
  });

  it('retries a cancellation for an order without a shipment instead of dropping it', async () => {
    const orderId = randomUUID();
    const retries: number[] = [];
    harness.service.server.onEvent('retried', (event) => {
      if (event.groupId === orderId) retries.push(event.receiveCount);
    });
    await send(cancelled(orderId), orderId);
    await waitFor(() => retries.length >= 2, { timeoutMs: 15_000, description: 'two retries' });
    expect(await eventsFor(orderId)).toEqual([]);
  });
});

describe('HTTP', () => {
  it('validates the query, answers 404 for an unknown shipment, and serves health, readiness and OpenAPI', async () => {
    expect(await api.get('/shipments?orderId=nope')).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', errors: [{ field: 'orderId' }] },
    });
    expect(await api.get(`/shipments/${randomUUID()}`)).toMatchObject({
      status: 404,
      body: { code: 'SHIPMENT_NOT_FOUND' },
    });
    expect((await api.get('/health')).status).toBe(200);
    expect(await api.get('/ready')).toMatchObject({ status: 200, body: { status: 'ok' } });
    const openapi = await api.get<{ paths: Record<string, unknown> }>('/openapi.json');
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/shipments', '/shipments/{id}']));
  });
});
