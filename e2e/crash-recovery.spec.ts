// Scenario 6 of the issue: shipping is killed with SIGKILL while 50 orders are in flight, then restarted.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { waitFor } from '@sqsref/sqs-transport/testing';
import type { Stack } from './support/stack.js';
import { countsBy, placeOrders, startStack, waitForOrders } from './support/stack.js';

jest.setTimeout(150_000);

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    shipping: { SQS_VISIBILITY_TIMEOUT_SECONDS: '2', LABEL_JOB_MS: '1500', SQS_CONCURRENCY: '20' },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('6. shipping killed with SIGKILL while 50 orders are in flight', () => {
  it('completes every order after the restart, none twice', async () => {
    const ids = await placeOrders(stack, 50, 25);
    // In flight: label jobs running (some carrier calls under way), others still queued.
    await waitFor(
      async () => {
        const [row] = await stack.shippingDb<{ running: number }>(
          'SELECT count(*)::int AS running FROM label_attempts WHERE outcome IS NULL',
        );
        return (row?.running ?? 0) >= 5;
      },
      { timeoutMs: 30_000, intervalMs: 20, description: 'label jobs running' },
    );
    const status = await stack.shipping.restart('SIGKILL');
    expect(status.signal).toBe('SIGKILL');

    const orders = await waitForOrders(stack, ids, (order) => order.status === 'SHIPPED', 120_000);

    // Order side: each order went the whole way once.
    for (const order of orders) {
      expect(order.history.map((entry) => entry.type)).toEqual([
        'order.placed',
        'shipment.created',
        'shipment.label_created',
        'shipment.dispatched',
      ]);
    }
    // Shipping side: one shipment, one label sold, and each event emitted once, per order.
    const shipments = countsBy(
      await stack.shippingDb(
        'SELECT order_id AS key, count(*)::int AS n FROM shipments WHERE order_id = ANY($1::uuid[]) GROUP BY 1',
        [ids],
      ),
    );
    const labels = await stack.shippingDb<{ key: string; calls: number }>(
      `SELECT s.order_id AS key, l.calls FROM carrier_labels l JOIN shipments s ON s.id::text = l.idempotency_key
       WHERE s.order_id = ANY($1::uuid[])`,
      [ids],
    );
    const events = countsBy(
      await stack.shippingDb(
        `SELECT group_id || '/' || (attributes->>'type') AS key, count(*)::int AS n FROM sqs_outbox
         WHERE group_id = ANY($1::text[]) GROUP BY 1`,
        [ids],
      ),
    );
    expect(labels).toHaveLength(ids.length);
    for (const id of ids) {
      expect(shipments.get(id)).toBe(1);
      for (const type of [
        'shipment.created',
        'shipment.label_requested',
        'shipment.label_created',
        'shipment.dispatched',
      ]) {
        expect(events.get(`${id}/${type}`)).toBe(1);
      }
    }
    // The kill interrupted label jobs: they ran again after the restart (a later delivery), and the carrier's
    // idempotency key answered any repeated purchase with the label already sold.
    const [rerun] = await stack.shippingDb<{ n: number }>(
      `SELECT count(DISTINCT shipment_id)::int AS n FROM label_attempts WHERE receive_count > 1`,
    );
    expect(rerun?.n).toBeGreaterThan(0);
    process.stdout.write(
      `scenario 6: ${rerun?.n} label jobs ran again after the kill; carrier calls: ${labels.map((l) => l.calls).join(',')}\n`,
    );
  });
});
