// docker-compose.yml for real, black-box: the stack that `npm run test:compose` (e2e/compose/run.ts) built and
// started (profiles fauxqs and services, plus compose.test.yaml), driven over the ports it publishes on 127.0.0.1:
// HTTP to both services, SQS to fauxqs, SQL to PostgreSQL, and `docker compose` itself. The scenarios run in file
// order; the last one stops and restarts the shipping service.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QUEUES } from '@sqsref/contracts';
import { loadConfig } from '@sqsref/service-kit';
import { deadLetters, jsonClient, query, QueueCollector, sendEnvelope, sendRaw } from '@sqsref/service-kit/testing';
import { readQueueDefinitions } from '@sqsref/dev-stack';
import { createEnvelope, createSqsClient, lookUpQueueUrl } from '@sqsref/sqs-transport';
import { waitFor } from '@sqsref/sqs-transport/testing';
import { shippingServiceEnv } from '../../../apps/shipping-service/src/config.js';
import type { OrderBody } from '../../support/stack.js';
import { newOrder, waitForOrders } from '../../support/stack.js';
import type { ComposeConfig } from '../compose-project.js';
import { parseComposeDuration } from '../duration.js';
import { hostPortsFromEnv } from '../host-ports.js';
import { composeTestProject, REPOSITORY_ROOT } from '../test-project.js';

/** Docker's stop timeout for a service without `stop_grace_period`. */
const DOCKER_DEFAULT_STOP_MS = 10_000;
/** How much a service image may add to its Node base image (issue 8: at most 150 MB, as `docker image ls` counts). */
const MAX_IMAGE_GROWTH_BYTES = 150 * 1000 * 1000;

const ports = hostPortsFromEnv(process.env);
const project = composeTestProject(ports);
const api = {
  orders: jsonClient(`http://127.0.0.1:${ports.ORDER_HOST_PORT}`),
  shipments: jsonClient(`http://127.0.0.1:${ports.SHIPPING_HOST_PORT}`),
};
const sqs = createSqsClient({ endpoint: `http://127.0.0.1:${ports.SQS_HOST_PORT}`, region: 'us-east-1' }, {});

let config: ComposeConfig;

/** A service's own DATABASE_URL from the merged compose configuration, reached through the published port. */
function publishedDatabaseUrl(service: string): string {
  const url = new URL(config.services[service]?.environment?.DATABASE_URL ?? '');
  url.hostname = '127.0.0.1';
  url.port = String(ports.POSTGRES_HOST_PORT);
  return url.toString();
}

/** A service's environment in the merged configuration, as strings (unset variables left out). */
function serviceEnvironment(service: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config.services[service]?.environment ?? {}).flatMap(([key, value]) =>
      value === null ? [] : [[key, String(value)]],
    ),
  );
}

interface ShipmentBody {
  id: string;
  status: string;
  label: { carrier: string; trackingNumber: string; voided: boolean } | null;
}

async function placeOrder(): Promise<string> {
  const response = await api.orders.post<OrderBody>('/orders', newOrder('compose-customer'));
  expect(response.status).toBe(201);
  return response.body.id;
}

async function shipmentsOf(orderId: string): Promise<ShipmentBody[]> {
  const response = await api.shipments.get<ShipmentBody[]>(`/shipments?orderId=${orderId}`);
  expect(response.status).toBe(200);
  return response.body;
}

/** Every run of the label job for an order's shipment, and how often the carrier was asked for its label. */
async function labelRecords(orderId: string) {
  const shipping = publishedDatabaseUrl('shipping-service');
  const attempts = await query<{ outcome: string | null; receive_count: number }>(
    shipping,
    'SELECT a.outcome, a.receive_count FROM label_attempts a JOIN shipments s ON s.id = a.shipment_id WHERE s.order_id = $1::uuid ORDER BY a.id',
    [orderId],
  );
  const carrierCalls = await query<{ calls: number }>(
    shipping,
    'SELECT c.calls FROM carrier_labels c JOIN shipments s ON c.idempotency_key = s.id::text WHERE s.order_id = $1::uuid',
    [orderId],
  );
  return { attempts, carrierCalls: carrierCalls.map((row) => row.calls) };
}

beforeAll(async () => {
  config = await project.config();
});

afterAll(() => {
  sqs.destroy();
});

describe('the service images', () => {
  it.each(['order-service', 'shipping-service'])('%s adds at most 150 MB to its Node base image', async (service) => {
    const dockerfile = readFileSync(join(REPOSITORY_ROOT, `apps/${service}/Dockerfile`), 'utf8');
    const base = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1] ?? '';
    const [image, baseImage] = await Promise.all([
      project.container(service).then((container) => project.imageSize(container.image)),
      project.imageSize(base),
    ]);
    const growth = { service, base, addedMB: Math.round((image - baseImage) / 1e5) / 10 };
    process.stderr.write(`[test:compose] ${service}: ${growth.addedMB} MB above ${base}\n`);
    expect(image - baseImage).toBeGreaterThan(0);
    expect(image - baseImage).toBeLessThanOrEqual(MAX_IMAGE_GROWTH_BYTES);
  });
});

describe('an order', () => {
  it('placed over HTTP ships: both services, SQS and PostgreSQL in containers, one dispatched shipment', async () => {
    const id = await placeOrder();
    const [order] = await waitForOrders(api, [id], (current) => current.status === 'SHIPPED', 60_000);
    expect(order?.history.map((entry) => entry.type)).toEqual(
      expect.arrayContaining(['shipment.created', 'shipment.label_created', 'shipment.dispatched']),
    );
    const shipments = await shipmentsOf(id);
    expect(shipments).toHaveLength(1);
    expect(shipments[0]).toMatchObject({ status: 'DISPATCHED', label: { voided: false } });
    expect(order?.shipment?.trackingNumber).toBe(shipments[0]?.label?.trackingNumber);
  });

  it('cancelled while its label is being bought ends CANCELLED on both sides', async () => {
    const id = await placeOrder();
    // The label job takes LABEL_JOB_MS (12 s here): the shipment exists, and its label is not bought yet.
    await waitForOrders(api, [id], (current) => current.status === 'SHIPMENT_CREATED', 30_000);
    expect(await api.orders.post(`/orders/${id}/cancel`, { reason: 'compose suite' })).toMatchObject({ status: 202 });
    const [order] = await waitForOrders(api, [id], (current) => current.status === 'CANCELLED', 30_000);
    expect(order?.history.map((entry) => entry.type)).toContain('shipment.cancelled');
    expect((await shipmentsOf(id)).map((shipment) => shipment.status)).toEqual(['CANCELLED']);
  });
});

describe('the operations console', () => {
  const consoleApi = jsonClient(`http://127.0.0.1:${ports.CONSOLE_HOST_PORT}`);

  it('reads every queue through the compose network and follows a demo order it places until SHIPPED', async () => {
    const queues =
      await consoleApi.get<Array<{ name: string; visible: number | null; error: string | null }>>('/api/queues');
    const defined = readQueueDefinitions().queues.flatMap((queue) => [queue.name, queue.deadLetter?.name ?? '']);
    expect(queues.body.map((queue) => queue.name).sort()).toEqual(defined.filter(Boolean).sort());
    expect(queues.body.filter((queue) => queue.error !== null || queue.visible === null)).toEqual([]);

    const placed = await consoleApi.post<{ placed: string[] }>('/api/orders/demo', { count: 1 });
    expect(placed.status).toBe(200);
    const [id] = placed.body.placed;
    await waitFor(
      async () => {
        const orders = await consoleApi.get<Array<{ id: string; status: string }>>('/api/orders');
        return orders.body.find((order) => order.id === id)?.status === 'SHIPPED';
      },
      { timeoutMs: 60_000, intervalMs: 500, description: 'the console to show its demo order SHIPPED' },
    );
  });
});

describe('a poison message', () => {
  it('sent straight to order-events.fifo reaches its DLQ with the reason attributes', async () => {
    const queue = readQueueDefinitions().queues.find((definition) => definition.name === QUEUES.orderEvents);
    const dlqName = queue?.deadLetter?.name ?? '';
    expect(dlqName).not.toBe('');
    const [queueUrl, dlqUrl] = await Promise.all([
      lookUpQueueUrl(sqs, QUEUES.orderEvents),
      lookUpQueueUrl(sqs, dlqName),
    ]);
    const marker = randomUUID();
    const unknownType = createEnvelope({ type: 'order.teleported', payload: { orderId: marker } });
    await sendRaw(sqs, queueUrl, `{"not json": "${marker}"`, { type: 'order.placed' });
    await sendEnvelope(sqs, queueUrl, unknownType, { groupId: marker });

    const dlq = new QueueCollector(sqs, dlqUrl);
    const letters = await waitFor(
      async () => {
        const mine = deadLetters(await dlq.collect()).filter((letter) => letter.body.includes(marker));
        return mine.length >= 2 ? mine : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, description: 'both poison messages on the DLQ' },
    );
    const byCode = new Map(letters.map((letter) => [letter.errorCode, letter]));
    expect([...byCode.keys()].sort()).toEqual(['INVALID_JSON', 'UNKNOWN_EVENT_TYPE']);
    expect(byCode.get('UNKNOWN_EVENT_TYPE')?.errorMessage).toContain('order.teleported');
    expect(byCode.get('INVALID_JSON')?.errorMessage).toBeTruthy();
  });
});

describe('docker compose stop', () => {
  it('lets the label job that shipping is running finish within stop_grace_period; no duplicate after restart', async () => {
    const service = 'shipping-service';
    const settings = loadConfig(service, shippingServiceEnv, serviceEnvironment(service));
    const gracePeriodMs = parseComposeDuration(config.services[service]?.stop_grace_period ?? '10s');
    // The relations that make this a test of stop_grace_period (as ECS's stopTimeout): the job outlasts Docker's
    // default stop timeout, fits in the service's shutdown timeout, which fits in the grace period.
    expect(settings.LABEL_JOB_MS).toBeGreaterThan(DOCKER_DEFAULT_STOP_MS);
    expect(settings.SHUTDOWN_TIMEOUT_MS).toBeGreaterThan(settings.LABEL_JOB_MS);
    expect(gracePeriodMs).toBeGreaterThan(settings.SHUTDOWN_TIMEOUT_MS);

    const id = await placeOrder();
    await waitFor(
      async () => {
        const { attempts } = await labelRecords(id);
        return attempts.length === 1 && attempts[0]?.outcome === null;
      },
      { timeoutMs: 30_000, intervalMs: 100, description: 'the label job running' },
    );

    const stopping = Date.now();
    await project.stop(service);
    const stopMs = Date.now() - stopping;
    const stopped = await project.container(service);
    // 0: the process ended by itself after its shutdown; 137 would mean Docker killed it at the deadline.
    expect({ status: stopped.status, exitCode: stopped.exitCode }).toEqual({ status: 'exited', exitCode: 0 });
    expect(stopMs).toBeLessThan(gracePeriodMs);
    expect(await labelRecords(id)).toEqual({
      attempts: [{ outcome: 'purchased', receive_count: 1 }],
      carrierCalls: [1],
    });

    await project.start(service);
    await waitFor(async () => (await api.shipments.get('/ready')).status === 200, {
      timeoutMs: 60_000,
      intervalMs: 250,
      description: 'shipping ready again after the restart',
    });
    await waitForOrders(api, [id], (current) => current.status === 'SHIPPED', 60_000);
    expect(await labelRecords(id)).toEqual({
      attempts: [{ outcome: 'purchased', receive_count: 1 }],
      carrierCalls: [1],
    });
    expect((await shipmentsOf(id)).map((shipment) => shipment.status)).toEqual(['DISPATCHED']);
  });
});
