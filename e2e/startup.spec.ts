// Start-up and shutdown of the built services: configuration errors, and a graceful SIGTERM.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { QUEUES } from '@sqsref/contracts';
import { sendEnvelope } from '@sqsref/service-kit/testing';
import { createEnvelope } from '@sqsref/sqs-transport';
import { waitFor } from '@sqsref/sqs-transport/testing';
import { ServiceProcess } from './support/service-process.js';
import type { Stack } from './support/stack.js';
import { startStack } from './support/stack.js';

jest.setTimeout(60_000);

describe('configuration', () => {
  it.each(['order-service', 'shipping-service'] as const)(
    '%s exits with code 1 and names every invalid variable',
    async (name) => {
      const service = new ServiceProcess(name, { PORT: 'eighty', LOG_LEVEL: 'chatty', SQS_CONCURRENCY: '0' });
      await service.start({ waitUntilListening: false });
      expect(await service.waitForExit()).toEqual({ code: 1, signal: null });
      expect(service.stderr).toContain(`Invalid configuration of ${name}`);
      expect(service.stderr).toContain('DATABASE_URL: is required');
      expect(service.stderr).toContain('PORT: must be an integer from 0 to 65535 (received "eighty")');
      expect(service.stderr).toContain('LOG_LEVEL: must be one of');
      expect(service.stderr).toContain('SQS_CONCURRENCY: must be an integer from 1 to 10000 (received "0")');
    },
  );
});

describe('graceful shutdown', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ withOrder: false, shipping: { LABEL_JOB_MS: '1500', SHUTDOWN_TIMEOUT_MS: '10000' } });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('on SIGTERM, shipping finishes the label job it is running before it exits', async () => {
    const orderId = randomUUID();
    const placed = createEnvelope({
      type: 'order.placed',
      payload: {
        orderId,
        customerId: 'c-1',
        items: [{ sku: 'BOOK-1', quantity: 1 }],
        shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
        placedAt: new Date().toISOString(),
      },
    });
    await sendEnvelope(stack.infrastructure.sqs.client, stack.queueUrl(QUEUES.orderEvents), placed, {
      groupId: orderId,
    });
    await waitFor(
      async () =>
        (
          await stack.shippingDb(
            'SELECT 1 FROM label_attempts a JOIN shipments s ON s.id = a.shipment_id WHERE s.order_id = $1::uuid',
            [orderId],
          )
        ).length === 1,
      { timeoutMs: 20_000, intervalMs: 20, description: 'label job running' },
    );
    const exit = await stack.shipping.stop('SIGTERM');
    expect(exit.signal === 'SIGTERM' || exit.code === 0).toBe(true);
    const [shipment] = await stack.shippingDb<{ status: string }>(
      'SELECT status FROM shipments WHERE order_id = $1::uuid',
      [orderId],
    );
    expect(shipment?.status).toBe('DISPATCHED');
    const [attempt] = await stack.shippingDb<{ outcome: string; receive_count: number }>(
      'SELECT a.outcome, a.receive_count FROM label_attempts a JOIN shipments s ON s.id = a.shipment_id WHERE s.order_id = $1::uuid',
      [orderId],
    );
    expect(attempt).toEqual({ outcome: 'purchased', receive_count: 1 });
  });
});
