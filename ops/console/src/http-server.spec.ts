import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConsoleApi } from './console-api.js';
import { UnknownQueueError } from './errors.js';
import { createConsoleServer } from './http-server.js';

describe('the console HTTP server', () => {
  const calls: unknown[][] = [];
  let ready = true;
  const api = {
    queues: async () => [{ name: 'q' }],
    placeDemoOrders: async (body: unknown) => {
      calls.push(['demo', body]);
      return { placed: ['id-1'] };
    },
    redrive: async (queue: string, body: unknown) => {
      calls.push(['redrive', queue, body]);
      if (queue === 'nope') throw new UnknownQueueError('"nope" is not a DLQ of infra/queues.json.');
      return { redriven: [], failed: [] };
    },
  } as unknown as ConsoleApi;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createConsoleServer(api, async () => ready);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const post = (path: string, body: string, contentType = 'application/json') =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('serves the page with a content security policy', async () => {
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await response.text()).toContain('<script type="module" src="/app.js"></script>');
    expect((await fetch(`${url}/app.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers the API in JSON', async () => {
    const response = await fetch(`${url}/api/queues`);
    expect(await response.json()).toEqual([{ name: 'q' }]);
  });

  it('accepts a POST only with a JSON body, so a form on another site cannot trigger an action', async () => {
    calls.length = 0;
    const refused = await post('/api/orders/demo', '{"count":5}', 'text/plain'); // what a cross-site form can send
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ code: 'CONSOLE_INVALID_REQUEST' });
    expect((await post('/api/orders/demo', '{not json')).status).toBe(400);
    expect(calls).toEqual([]);

    expect((await post('/api/orders/demo', '{"count":2}')).status).toBe(200);
    expect(calls).toEqual([['demo', { count: 2 }]]);
  });

  it("routes a redrive with the DLQ's name from the path and maps the console's errors to their status", async () => {
    calls.length = 0;
    expect((await post('/api/dead-letters/a-dlq.fifo/redrive', '{"messageIds":["m-1"]}')).status).toBe(200);
    const unknown = await post('/api/dead-letters/nope/redrive', '{}');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      code: 'CONSOLE_UNKNOWN_QUEUE',
      message: '"nope" is not a DLQ of infra/queues.json.',
    });
    expect(calls).toEqual([
      ['redrive', 'a-dlq.fifo', { messageIds: ['m-1'] }],
      ['redrive', 'nope', {}],
    ]);
  });

  it('says 404 for anything else, and 503 on /ready while SQS does not answer', async () => {
    expect((await fetch(`${url}/etc/passwd`)).status).toBe(404);
    expect((await fetch(`${url}/api/queues`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    ready = false;
    expect((await fetch(`${url}/ready`)).status).toBe(503);
    ready = true;
    expect((await fetch(`${url}/ready`)).status).toBe(200);
  });
});
