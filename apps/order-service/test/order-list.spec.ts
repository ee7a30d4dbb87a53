import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { JsonClient } from '@sqsref/service-kit/testing';
import { jsonClient } from '@sqsref/service-kit/testing';
import { ORDER_LIST_DEFAULT, ORDER_LIST_MAX, OrderView } from '../src/orders/order.schemas.js';
import { newOrder } from './support/fixtures.js';
import type { OrderServiceHarness } from './support/order-service.js';
import { startOrderServiceHarness } from './support/order-service.js';

// GET /orders on a database of its own, so every order in it is one this file wrote.

interface ErrorBody {
  code: string;
  errors?: Array<{ field: string; message: string }>;
}

jest.setTimeout(30_000);

let harness: OrderServiceHarness;
let api: JsonClient;

beforeAll(async () => {
  harness = await startOrderServiceHarness();
  api = jsonClient(harness.service.url);
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

const list = (query = '') => api.get<OrderView[]>(`/orders${query}`);
const ids = (orders: readonly OrderView[]) => orders.map((order) => order.id);

/** Writes orders straight into the table, all created at `createdAt` (the API always stamps "now"). */
async function insertOrders(count: number, createdAt: Date): Promise<string[]> {
  const rows = Array.from({ length: count }, () => ({
    ...newOrder('c-list'),
    id: randomUUID(),
    status: 'PENDING' as const,
    correlationId: 'corr-list',
    createdAt,
  }));
  await harness.service.prisma.order.createMany({ data: rows });
  return rows.map((row) => row.id);
}

describe('GET /orders', () => {
  it('answers an empty list before any order exists', async () => {
    expect(await list()).toMatchObject({ status: 200, body: [] });
  });

  it('lists the latest orders newest first, each as GET /orders/:id shows it, history included', async () => {
    const placed: OrderView[] = [];
    for (let index = 0; index < 3; index++) {
      const response = await api.post<OrderView>('/orders', newOrder(`c-${index}`));
      expect(response.status).toBe(201);
      placed.push(response.body);
    }
    await api.post(`/orders/${placed[0]?.id}/cancel`, { reason: 'listed' });

    const { status, body } = await list();
    expect(status).toBe(200);
    expect(ids(body)).toEqual(ids(placed).reverse());
    for (const order of body) {
      expect(OrderView.parse(order)).toEqual(order);
      expect(order).toEqual((await api.get<OrderView>(`/orders/${order.id}`)).body);
    }
    expect(body[2]?.history.map((entry) => entry.type)).toEqual(['order.placed', 'order.cancelled']);
  });

  it('breaks ties on the creation time by id, descending', async () => {
    // Older than anything placed over the API, so these come last; inserted in random id order.
    const tied = await insertOrders(5, new Date('2020-01-01T00:00:00.000Z'));
    const { body } = await list(`?limit=${ORDER_LIST_MAX}`);
    expect(ids(body).slice(-5)).toEqual([...tied].sort().reverse());
  });

  it(`returns ${ORDER_LIST_DEFAULT} orders by default and between 1 and ${ORDER_LIST_MAX} with limit`, async () => {
    // 3 placed + 5 tied so far; 150 more, spread over time, make more than the largest page.
    for (let batch = 0; batch < 15; batch++) await insertOrders(10, new Date(Date.UTC(2021, 0, 1 + batch)));
    const everything = await harness.service.prisma.order.count();
    expect(everything).toBeGreaterThan(ORDER_LIST_MAX);

    expect((await list()).body).toHaveLength(ORDER_LIST_DEFAULT);
    expect((await list('?limit=1')).body).toHaveLength(1);
    const largest = (await list(`?limit=${ORDER_LIST_MAX}`)).body;
    expect(largest).toHaveLength(ORDER_LIST_MAX);
    expect(ids((await list('?limit=7')).body)).toEqual(ids(largest).slice(0, 7));
    const createdAt = largest.map((order) => Date.parse(order.createdAt));
    expect(createdAt).toEqual([...createdAt].sort((a, b) => b - a));
  });

  it('pages with before: the pages together are every order once, in the same order', async () => {
    const seen: string[] = [];
    let before = '';
    for (let page = 0; page < 50; page++) {
      const { status, body } = await list(`?limit=7${before}`);
      expect(status).toBe(200);
      if (body.length === 0) break;
      seen.push(...ids(body));
      before = `&before=${body.at(-1)?.id}`;
    }
    const all = await harness.service.prisma.order.findMany({
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { id: true },
    });
    expect(seen).toEqual(all.map((order) => order.id));
  });

  it.each([
    ['limit=0', 'limit'],
    [`limit=${ORDER_LIST_MAX + 1}`, 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=ten', 'limit'],
    ['limit=', 'limit'],
    ['limit=1&limit=2', 'limit'],
    ['before=not-a-uuid', 'before'],
    [`before=${randomUUID()}`, 'before'],
  ])('answers 400 VALIDATION_FAILED naming the field for ?%s', async (query, field) => {
    const response = await api.get<ErrorBody>(`/orders?${query}`);
    expect(response).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(response.body.errors?.map((error) => error.field)).toEqual([field]);
    expect(response.body.errors?.[0]?.message.length).toBeGreaterThan(0);
  });

  it('is in the OpenAPI document with its query parameters and an array of orders', async () => {
    const { body } = await api.get<{ paths: Record<string, Record<string, OpenApiOperation>> }>('/openapi.json');
    const operation = body.paths['/orders']?.get;
    expect(operation?.parameters?.map((parameter) => [parameter.name, parameter.in]).sort()).toEqual([
      ['before', 'query'],
      ['limit', 'query'],
    ]);
    expect(JSON.stringify(operation?.responses?.['200'])).toMatch(/"type":"array".*Order/);
  });
});

interface OpenApiOperation {
  parameters?: Array<{ name: string; in: string }>;
  responses?: Record<string, unknown>;
}
