import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Json } from '@sqsref/service-kit/testing';
import {
  checkGeneratedCases,
  deeplyNestedJson,
  edgeString,
  edgeStringAt,
  fc,
  jsonClient,
  malformedJson,
  mutatedJson,
  ORDER_STRING_FIELDS,
  query,
} from '@sqsref/service-kit/testing';
import { OrderView } from '../src/orders/order.schemas.js';
import { newOrder } from './support/fixtures.js';
import type { OrderServiceHarness } from './support/order-service.js';
import { startOrderServiceHarness } from './support/order-service.js';

/**
 * Generated bad input for the order service's HTTP API (fast-check, fixed seed): bodies that are not JSON, JSON of
 * the wrong shape or types, edge strings in every field, deep nesting, bodies past the size limit, odd content
 * types, and arbitrary Idempotency-Key and X-Correlation-Id headers. Every answer is a 2xx or a 4xx with a stable
 * code and a message, never a 5xx; afterwards the database holds no order without its history and outbox rows.
 */

jest.setTimeout(120_000);

let harness: OrderServiceHarness;

beforeAll(async () => {
  harness = await startOrderServiceHarness();
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

interface RawRequest {
  method: 'POST';
  path: string;
  body: string | undefined;
  contentType: string | undefined;
  headers: Record<string, string>;
}

interface RawResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Sends exactly the given bytes and headers (fetch adds no content type to a byte body). */
async function send(request: RawRequest): Promise<RawResponse> {
  const response = await fetch(`${harness.service.url}${request.path}`, {
    method: request.method,
    headers: {
      ...(request.contentType === undefined ? {} : { 'content-type': request.contentType }),
      ...request.headers,
    },
    ...(request.body === undefined ? {} : { body: Buffer.from(request.body, 'utf8') }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text, and the property below fails on it
  }
  return { status: response.status, headers: response.headers, body };
}

/**
 * A header value an HTTP client can send: tab, visible ASCII, space and Latin-1, up to 300 characters (other control
 * characters are refused by the client, and by Node's HTTP parser before any route runs).
 */
const headerValue = (): fc.Arbitrary<string> =>
  fc.string({
    unit: fc
      .integer({ min: 0x1f, max: 0xff })
      .filter((code) => code !== 0x7f)
      .map((code) => String.fromCharCode(code === 0x1f ? 0x09 : code)),
    maxLength: 300,
  });

const contentType = (): fc.Arbitrary<string | undefined> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant('application/json') },
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        undefined,
        'application/json; charset=utf-8',
        'application/json; charset=latin1',
        'application/json; charset=utf-16',
        'application/merge-patch+json',
        'text/plain',
        'text/json',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
        'application/octet-stream',
        '',
        'garbage',
        '*/*',
      ),
    },
  );

/** A valid order with an edge string in one of its string fields. */
const edgeOrder = (): fc.Arbitrary<Json> => edgeStringAt(() => newOrder() as unknown as Json, ORDER_STRING_FIELDS);

/**
 * An accepted order holds exactly what was sent: no character replaced or dropped on the way into the database
 * (fields the schema does not know are dropped, which is fine).
 */
function expectStoredAsSent(sentBody: string, order: OrderView): void {
  const sent = JSON.parse(sentBody) as ReturnType<typeof newOrder> & { shippingAddress: Record<string, unknown> };
  expect(order.customerId).toBe(sent.customerId);
  expect(order.items).toEqual(sent.items.map(({ sku, quantity }) => ({ sku, quantity })));
  for (const [key, value] of Object.entries(order.shippingAddress))
    expect([key, value]).toEqual([key, sent.shippingAddress[key]]);
}

/** A body for POST /orders: mostly near-valid orders, then anything else that can arrive. */
const orderBody = (): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: mutatedJson(() => newOrder() as unknown as Json).map(({ value }) => JSON.stringify(value)),
    },
    { weight: 5, arbitrary: edgeOrder().map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.constant(JSON.stringify(newOrder())) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
    { weight: 2, arbitrary: malformedJson() },
    { weight: 1, arbitrary: deeplyNestedJson({ minDepth: 100, maxDepth: 40_000 }) },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 90_000, max: 300_000 })
        .map((length) => JSON.stringify({ ...newOrder(), note: 'x'.repeat(length) })),
    },
  );

/** What every answer must be: 2xx, or a 4xx with the error body; never a 5xx, never an unformatted error. */
function expectCleanAnswer(response: RawResponse, allowed: readonly number[]): void {
  expect({ status: response.status, allowed: allowed.includes(response.status) }).toEqual({
    status: response.status,
    allowed: true,
  });
  if (response.status >= 400) {
    expect(response.body).toMatchObject({
      statusCode: response.status,
      code: expect.stringMatching(/^[A-Z][A-Z_]+$/),
      message: expect.stringMatching(/\S/),
    });
  }
}

/** Orders without the history row or the outbox row their creation or cancellation wrote in the same transaction. */
async function halfWrittenOrders(databaseUrl: string): Promise<unknown[]> {
  return query(
    databaseUrl,
    `SELECT o.id, o.status FROM orders o
      WHERE NOT EXISTS (SELECT 1 FROM order_history h JOIN sqs_outbox x ON x.id = h.event_id
                         WHERE h.order_id = o.id AND h.type = 'order.placed')
         OR (o.cancel_requested_at IS NOT NULL AND NOT EXISTS (
              SELECT 1 FROM order_history h JOIN sqs_outbox x ON x.id = h.event_id
               WHERE h.order_id = o.id AND h.type = 'order.cancelled'))`,
  );
}

describe('generated bad input over HTTP', () => {
  const created = new Set<string>();

  const statuses = new Map<number, number>();

  /** Sends one POST /orders; checks the answer, and for a new order that it holds what was sent. */
  async function placeOrder(body: string, type: string | undefined, headers: Record<string, string>): Promise<void> {
    const response = await send({ method: 'POST', path: '/orders', body, contentType: type, headers });
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    expectCleanAnswer(response, [201, 400, 413, 415, 422]);
    if (response.status === 201) {
      const order = OrderView.parse(response.body);
      if (response.headers.get('idempotent-replayed') !== 'true') {
        created.add(order.id);
        expectStoredAsSent(body, order);
      }
    }
  }

  it('POST /orders answers every generated body with 201 or a 4xx with its reason, and stores what it accepts as sent', async () => {
    await checkGeneratedCases(
      'POST /orders, bodies',
      fc.asyncProperty(orderBody(), fc.option(fc.uuid(), { nil: undefined }), async (body, key) => {
        await placeOrder(body, 'application/json', key === undefined ? {} : { 'Idempotency-Key': key });
      }),
      { numRuns: 200 },
    );
  });

  it('POST /orders answers every generated Idempotency-Key, X-Correlation-Id and content type cleanly', async () => {
    await checkGeneratedCases(
      'POST /orders, headers and content types',
      fc.asyncProperty(
        fc.oneof(
          { weight: 3, arbitrary: fc.constant(JSON.stringify(newOrder())) },
          { weight: 1, arbitrary: orderBody() },
        ),
        contentType(),
        fc.option(fc.oneof(fc.uuid(), headerValue()), { nil: undefined }),
        fc.option(headerValue(), { nil: undefined }),
        async (body, type, key, correlationId) => {
          await placeOrder(body, type, {
            ...(key === undefined ? {} : { 'Idempotency-Key': key }),
            ...(correlationId === undefined ? {} : { 'X-Correlation-Id': correlationId }),
          });
        },
      ),
      { numRuns: 100 },
    );
    // The generators reach both sides: accepted orders and each kind of refusal.
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([201, 400, 413, 415]));
    const [{ count }] = (await query(harness.databaseUrl, 'SELECT count(*)::int AS count FROM orders')) as [
      { count: number },
    ];
    expect(count).toBe(created.size);
  });

  it('POST /orders/:id/cancel answers every generated id and body with 202 or a 4xx with its reason', async () => {
    const api = jsonClient(harness.service.url);
    const mine: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const response = await api.post<{ id: string }>('/orders', newOrder(), { 'Idempotency-Key': randomUUID() });
      expect(response.status).toBe(201);
      mine.push(response.body.id);
      created.add(response.body.id);
    }
    const orderPath = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...mine) },
      { weight: 1, arbitrary: fc.uuid() },
      {
        weight: 2,
        arbitrary: edgeString().map((text) => {
          try {
            return encodeURIComponent(text);
          } catch {
            return '%E0%A4%A'; // a lone surrogate cannot be encoded: a malformed escape instead
          }
        }),
      },
    );
    const cancelBody = fc.oneof(
      {
        weight: 3,
        arbitrary: mutatedJson(() => ({ reason: 'changed my mind' })).map(({ value }) => JSON.stringify(value)),
      },
      { weight: 2, arbitrary: edgeString().map((reason) => JSON.stringify({ reason })) },
      { weight: 1, arbitrary: fc.constantFrom<string | undefined>(undefined, '', '{}', 'null') },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
      { weight: 1, arbitrary: malformedJson() },
      { weight: 1, arbitrary: deeplyNestedJson({ minDepth: 100, maxDepth: 40_000 }) },
    );
    await checkGeneratedCases(
      'POST /orders/:id/cancel',
      fc.asyncProperty(orderPath, cancelBody, contentType(), async (id, body, type) => {
        const response = await send({
          method: 'POST',
          path: `/orders/${id}/cancel`,
          body,
          contentType: type,
          headers: {},
        });
        expectCleanAnswer(response, [202, 400, 404, 409, 413, 415]);
        if (response.status === 202) expect(OrderView.parse(response.body).status).toBe('CANCEL_REQUESTED');
      }),
      { numRuns: 120 },
    );
  });

  it('leaves no half-written order, and the service still answers', async () => {
    expect(await halfWrittenOrders(harness.databaseUrl)).toEqual([]);
    expect((await jsonClient(harness.service.url).get('/health')).status).toBe(200);
  });
});
