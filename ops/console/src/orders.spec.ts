import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { IncomingMessage, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidRequestError, UpstreamError } from './errors.js';
import { MAX_DEMO_ORDERS, OrderTracker } from './orders.js';

/** A stand-in order service: POST /orders creates, GET /orders/:id reads. */
describe('OrderTracker', () => {
  const orders = new Map<string, object>();
  const keys: Array<string | undefined> = [];
  let server: Server;
  let url: string;
  let next = 0;

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response) => {
      const id = /^\/orders\/([^/]+)$/.exec(request.url ?? '')?.[1];
      if (request.method === 'POST' && request.url === '/orders') {
        keys.push(request.headers['idempotency-key'] as string | undefined);
        const created = `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`;
        orders.set(created, {
          id: created,
          status: 'PENDING',
          customerId: 'c',
          createdAt: '2026-01-01T10:00:00.000Z',
          history: [{ type: 'order.placed', status: 'PENDING', occurredAt: '2026-01-01T10:00:00.000Z' }],
        });
        response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: created }));
      } else if (request.method === 'GET' && id && orders.has(id)) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(orders.get(id)));
      } else {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"code":"ORDER_NOT_FOUND"}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('places demo orders, each with its own idempotency key, and follows them newest first', async () => {
    const tracker = new OrderTracker(url);
    const placed = await tracker.placeDemoOrders(2);
    expect(placed).toHaveLength(2);
    expect(new Set(keys).size).toBe(2);
    const timelines = await tracker.timelines();
    expect(timelines.map((timeline) => timeline.id)).toEqual([...placed].reverse());
    expect(timelines[0]?.steps[0]).toMatchObject({ label: 'placed', at: '2026-01-01T10:00:00.000Z' });
  });

  it('refuses a count outside 1 to the maximum, and an id that is not a known order', async () => {
    const tracker = new OrderTracker(url);
    for (const count of [0, MAX_DEMO_ORDERS + 1, 1.5, '3']) {
      await expect(tracker.placeDemoOrders(count)).rejects.toThrow(InvalidRequestError);
    }
    await expect(tracker.track('not-a-uuid')).rejects.toThrow('id: must be an order id (a UUID)');
    await expect(tracker.track('00000000-0000-4000-8000-999999999999')).rejects.toThrow('has no order');
  });

  it('follows an order by id', async () => {
    const [id] = await new OrderTracker(url).placeDemoOrders(1);
    const tracker = new OrderTracker(url);
    expect((await tracker.track(id)).id).toBe(id);
    expect((await tracker.timelines()).map((timeline) => timeline.id)).toEqual([id]);
  });

  it('says the order service does not answer when it is gone', async () => {
    await expect(new OrderTracker('http://127.0.0.1:1').placeDemoOrders(1)).rejects.toThrow(UpstreamError);
  });
});
