import { describe, expect, it } from '@jest/globals';
import { chooseLogView, compactLine, formatServiceLine } from './log-view.js';

const ORDER = '7a5b68f7-9821-4960-9259-28aebef57b17';
const line = (record: Record<string, unknown>): string =>
  JSON.stringify({ level: 'info', time: '2026-12-01T10:09:43.405Z', service: 'shipping-service', ...record });

describe('chooseLogView', () => {
  it('is compact unless --json is given or LOG_LEVEL is set', () => {
    expect(chooseLogView(false, {})).toBe('compact');
    expect(chooseLogView(false, { LOG_LEVEL: ' ' })).toBe('compact');
    expect(chooseLogView(true, {})).toBe('json');
    expect(chooseLogView(false, { LOG_LEVEL: 'debug' })).toBe('json');
  });
});

describe('formatServiceLine', () => {
  it('passes every line on in the json view, prefixed with the service', () => {
    expect(formatServiceLine('json', 'order', '{"level":"info","msg":"Mapped {/orders, POST} route"}')).toBe(
      '[order] {"level":"info","msg":"Mapped {/orders, POST} route"}',
    );
    expect(formatServiceLine('compact', 'order', line({ context: 'RouterExplorer', msg: 'Mapped' }))).toBeUndefined();
  });
});

describe('compactLine', () => {
  it('shows a handled message as one step: time, service, order (the FIFO group), event type and duration', () => {
    const handled = line({
      correlationId: 'c-1',
      rpc: { type: 'event', pattern: 'order.placed', transport: 'sqs' },
      eventId: 'e-1',
      eventType: 'order.placed',
      groupId: ORDER,
      messageId: 'm-1',
      receiveCount: 1,
      responseTime: 93,
      msg: 'event completed',
    });
    expect(compactLine('shipping', handled)).toBe(
      `10:09:43.405  shipping  ${ORDER}  ${'order.placed'.padEnd(30)}     93 ms`,
    );
  });

  it('shows a request that changes something as a step, with the order id from its Location or its URL', () => {
    const placed = line({
      req: { method: 'POST', url: '/orders', headers: { 'idempotency-key': 'k' } },
      res: { statusCode: 201, headers: { location: `/orders/${ORDER}` } },
      responseTime: 87,
      msg: 'request completed',
    });
    expect(compactLine('order', placed)).toBe(
      `10:09:43.405  order     ${ORDER}  ${'POST /orders 201'.padEnd(30)}     87 ms`,
    );
    const cancelled = line({
      req: { method: 'POST', url: `/orders/${ORDER}/cancel` },
      res: { statusCode: 202, headers: {} },
      responseTime: 12.4,
      msg: 'request completed',
    });
    expect(compactLine('order', cancelled)).toContain(`${ORDER}  POST /orders/:id/cancel 202`);
    expect(compactLine('order', cancelled)).toMatch(/ 12 ms$/);
  });

  it('leaves out reads, framework start-up and the domain detail lines', () => {
    const read = line({
      req: { method: 'GET', url: `/orders/${ORDER}` },
      res: { statusCode: 200 },
      msg: 'request completed',
    });
    expect(compactLine('order', read)).toBeUndefined();
    expect(
      compactLine('order', line({ context: 'NestApplication', msg: 'Nest application successfully started' })),
    ).toBeUndefined();
    expect(
      compactLine(
        'order',
        line({ orderId: ORDER, from: 'PENDING', to: 'SHIPMENT_CREATED', msg: 'applied shipment.created' }),
      ),
    ).toBeUndefined();
    expect(compactLine('order', line({ level: 'debug', msg: 'message received' }))).toBeUndefined();
    expect(compactLine('order', '   ')).toBeUndefined();
  });

  it('shows warnings and errors in full, with every field', () => {
    const warning = line({
      level: 'warn',
      component: 'sqs-consumer',
      errorCode: 'SQS_CALL_FAILED',
      error: 'connect ECONNREFUSED 127.0.0.1:4566',
      msg: 'SQS call failed; retrying',
    });
    expect(compactLine('order', warning)).toBe(
      '10:09:43.405  order     WARN  SQS call failed; retrying  {"component":"sqs-consumer","errorCode":"SQS_CALL_FAILED","error":"connect ECONNREFUSED 127.0.0.1:4566"}',
    );
    const error = JSON.stringify({
      level: 50,
      time: '2026-12-01T10:09:43.405Z',
      err: { stack: 'Error: x\n    at y' },
      msg: 'boom',
    });
    expect(compactLine('shipping', error)).toBe(
      '10:09:43.405  shipping  ERROR  boom  {"err":{"stack":"Error: x\\n    at y"}}',
    );
  });

  it('shows where a service listens', () => {
    expect(compactLine('order', line({ url: 'http://127.0.0.1:3000', msg: 'listening' }))).toBe(
      '10:09:43.405  order     listening on http://127.0.0.1:3000',
    );
  });

  it('shows a line that is not a JSON object as it is', () => {
    expect(compactLine('order', 'TypeError: x is not a function')).toBe(
      '              order     TypeError: x is not a function',
    );
    expect(compactLine('order', '[1,2]')).toBe('              order     [1,2]');
    expect(compactLine('order', '{broken')).toBe('              order     {broken');
  });
});
