// Scenario 4 of the issue: the label job takes three times the visibility timeout.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Stack } from './support/stack.js';
import { placeOrders, startStack, waitForOrders } from './support/stack.js';

jest.setTimeout(120_000);

const VISIBILITY_SECONDS = 2;
const LABEL_JOB_MS = 3 * VISIBILITY_SECONDS * 1000;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    shipping: { SQS_VISIBILITY_TIMEOUT_SECONDS: String(VISIBILITY_SECONDS), LABEL_JOB_MS: String(LABEL_JOB_MS) },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('4. a label job at three times the visibility timeout', () => {
  it('buys one label per order, and no message is delivered twice', async () => {
    const ids = await placeOrders(stack, 10, 10);
    const orders = await waitForOrders(stack, ids, (order) => order.status === 'SHIPPED', 60_000);
    expect(orders.every((order) => order.shipment?.trackingNumber)).toBe(true);

    const attempts = await stack.shippingDb<{ order_id: string; receive_count: number; outcome: string; ms: number }>(
      `SELECT s.order_id, a.receive_count, a.outcome, extract(epoch FROM a.finished_at - a.started_at) * 1000 AS ms
       FROM label_attempts a JOIN shipments s ON s.id = a.shipment_id WHERE s.order_id = ANY($1::uuid[])`,
      [ids],
    );
    // One run per order, on the first delivery, and each really outlived the visibility timeout.
    expect(attempts).toHaveLength(ids.length);
    expect(new Set(attempts.map((attempt) => attempt.order_id)).size).toBe(ids.length);
    for (const attempt of attempts) {
      expect(attempt).toMatchObject({ receive_count: 1, outcome: 'purchased' });
      expect(Number(attempt.ms)).toBeGreaterThanOrEqual(LABEL_JOB_MS);
    }
    // One label sold per order, each asked for once.
    const labels = await stack.shippingDb<{ calls: number }>(
      `SELECT l.calls FROM carrier_labels l JOIN shipments s ON s.id::text = l.idempotency_key
       WHERE s.order_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(labels.map((label) => label.calls)).toEqual(Array(ids.length).fill(1));
    // SQS itself never handed shipping a message a second time: every receipt was a first one.
    const received = stack.shipping.logged('message received');
    expect(received.length).toBeGreaterThanOrEqual(ids.length * 2);
    expect(received.filter((record) => record.receiveCount !== 1)).toEqual([]);
    expect(stack.shipping.logged('message returned to the queue for a retry')).toEqual([]);
    expect(stack.shipping.logged('duplicate message acknowledged')).toEqual([]);
  });
});
