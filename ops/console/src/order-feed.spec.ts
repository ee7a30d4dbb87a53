import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { IncomingMessage, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidRequestError, UpstreamError } from './errors.js';
import { LISTED_ORDERS, MAX_DEMO_ORDERS, OrderFeed } from './order-feed.js';

/** A stand-in order service: POST /orders creates, GET /orders lists newest first (or answers `listAnswer`). */
describe('OrderFeed', () => {
  const orders: object[] = [];
  const keys: Array<string | undefined> = [];
  const listQueries: string[] = [];
  let listAnswer: { status: number; body: unknown } | undefined;
  let server: Server;
  let url: string;
  let next = 0;

  const order = (id: string, customerId: string) => ({
    id,
    status: 'PENDING',
    customerId,
    createdAt: '2026-01-01T10:00:00.000Z',
    history: [{ type: 'order.placed', status: 'PENDING', occurredAt: '2026-01-01T10:00:00.000Z' }],
  });

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response) => {
      const { pathname, search } = new URL(request.url ?? '/', 'http://orders');
      const json = (status: number, body: unknown) =>
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (request.method === 'POST' && pathname === '/orders') {
        keys.push(request.headers['idempotency-key'] as string | undefined);
        const id = `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`;
        orders.unshift(order(id, 'console-demo'));
        json(201, { id });
      } else if (request.method === 'GET' && pathname === '/orders') {
        listQueries.push(search);
        json(listAnswer?.status ?? 200, listAnswer ? listAnswer.body : orders);
      } else {
        json(404, { code: 'NOT_FOUND' });
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    listAnswer = undefined;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('lists the latest orders as the order service gives them, also those placed elsewhere', async () => {
    const elsewhere = '00000000-0000-4000-8000-00000000aaaa';
    orders.unshift(order(elsewhere, 'someone-else'));
    const feed = new OrderFeed(url);
    const placed = await feed.placeDemoOrders(2);
    expect(new Set(keys).size).toBe(2);
    const timelines = await feed.latest();
    expect(listQueries.at(-1)).toBe(`?limit=${LISTED_ORDERS}`);
    expect(timelines.map((timeline) => timeline.id)).toEqual([...placed].reverse().concat(elsewhere));
    expect(timelines[2]).toMatchObject({ customerId: 'someone-else' });
    expect(timelines[0]?.steps[0]).toMatchObject({ label: 'placed', at: '2026-01-01T10:00:00.000Z' });
    // Another console (or this one after a restart) sees the same list.
    expect(await new OrderFeed(url).latest()).toEqual(timelines);
  });

  it('refuses a count outside 1 to the maximum', async () => {
    for (const count of [0, MAX_DEMO_ORDERS + 1, 1.5, '3']) {
      await expect(new OrderFeed(url).placeDemoOrders(count)).rejects.toThrow(InvalidRequestError);
    }
  });

  it.each([
    ['an error status', { status: 503, body: { code: 'DATABASE_UNAVAILABLE' } }, 'GET /orders answered 503'],
    ['an object', { status: 200, body: { orders: [] } }, 'something other than a list of orders'],
    ['an order without history', { status: 200, body: [{ id: 'x', status: 'PENDING' }] }, 'other than a list'],
  ])('refuses %s from GET /orders', async (_name, answer, message) => {
    listAnswer = answer;
    await expect(new OrderFeed(url).latest()).rejects.toThrow(message);
  });

  it('says the order service does not answer when it is gone', async () => {
    await expect(new OrderFeed('http://127.0.0.1:1').placeDemoOrders(1)).rejects.toThrow(UpstreamError);
    await expect(new OrderFeed('http://127.0.0.1:1').latest()).rejects.toThrow(UpstreamError);
  });
});
