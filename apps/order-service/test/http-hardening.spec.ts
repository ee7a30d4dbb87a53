import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { JsonClient } from '@sqsref/service-kit/testing';
import { jsonClient } from '@sqsref/service-kit/testing';
import { newOrder } from './support/fixtures.js';
import type { OrderServiceHarness } from './support/order-service.js';
import { startOrderServiceHarness } from './support/order-service.js';

jest.setTimeout(30_000);

// Behind one proxy (as on AWS, behind the load balancer), with a limit of 2 orders per client per minute.
let harness: OrderServiceHarness;
let api: JsonClient;

beforeAll(async () => {
  harness = await startOrderServiceHarness({ ORDERS_RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY_HOPS: '1' });
  api = jsonClient(harness.service.url);
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

/** A client as the load balancer names it. */
const client = (address: string) => ({ 'X-Forwarded-For': address });

describe('security headers', () => {
  it.each(['/health', '/orders/00000000-0000-4000-8000-000000000000', '/openapi.json', '/docs/'])(
    'are on every response (%s), and X-Powered-By is not',
    async (path) => {
      const { headers } = await api.get(path);
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
      expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(headers.get('referrer-policy')).toBe('no-referrer');
      expect(headers.get('x-powered-by')).toBeNull();
    },
  );
});

describe('error bodies', () => {
  /** What must never reach a client: stack frames, source paths, exception class names. */
  const INTERNALS = /\n\s+at |node_modules|\/(app|src|dist)\/|\.(ts|js):\d|Exception|TypeError|SyntaxError/;

  it.each([
    ['malformed JSON', () => api.post('/orders', '{"customerId":', client('198.51.100.10')), 400, 'INVALID_JSON'],
    [
      'a body over the 100 KB limit',
      () => api.post('/orders', { ...newOrder(), note: 'x'.repeat(120_000) }, client('198.51.100.11')),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    ['a malformed percent-encoding in the path', () => api.get('/orders/%E0%A4%A'), 400, 'BAD_REQUEST'],
    ['an unknown route', () => api.get('/nothing-here'), 404, 'NOT_FOUND'],
    ['an invalid id', () => api.get('/orders/not-a-uuid'), 400, 'VALIDATION_FAILED'],
  ] as const)('%s: the status, a stable code and a message, no internals', async (_, send, status, code) => {
    const response = await send();
    expect(response.status).toBe(status);
    const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
    expect(text).not.toMatch(INTERNALS);
    expect(response.body).toMatchObject({ statusCode: status, code, message: expect.any(String) });
  });
});

describe('the rate limit of POST /orders', () => {
  it('answers 429 TOO_MANY_REQUESTS with Retry-After past the limit, per client', async () => {
    const first = client('203.0.113.1');
    for (let i = 0; i < 2; i += 1) {
      expect((await api.post('/orders', newOrder(), { ...first, 'Idempotency-Key': randomUUID() })).status).toBe(201);
    }
    const limited = await api.post('/orders', newOrder(), { ...first, 'Idempotency-Key': randomUUID() });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      statusCode: 429,
      code: 'TOO_MANY_REQUESTS',
      message: 'Too many requests from this client; retry after the number of seconds in Retry-After.',
    });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another client is not limited, and neither are other routes of the first.
    expect((await api.post('/orders', newOrder(), client('203.0.113.2'))).status).toBe(201);
    expect((await api.get('/orders/00000000-0000-4000-8000-000000000000', first)).status).toBe(404);
  });

  it('takes the client from X-Forwarded-For only as far as TRUST_PROXY_HOPS: a forged first hop is not a new client', async () => {
    const proxy = '203.0.113.50';
    const send = (forged: string) =>
      api.post('/orders', newOrder(), { 'X-Forwarded-For': `${forged}, ${proxy}`, 'Idempotency-Key': randomUUID() });
    expect((await send('10.0.0.1')).status).toBe(201);
    expect((await send('10.0.0.2')).status).toBe(201);
    expect((await send('10.0.0.3')).status).toBe(429);
  });
});
