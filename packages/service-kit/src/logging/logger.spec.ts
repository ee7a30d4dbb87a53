import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { correlationIdFrom, createRootLogger } from './logger.js';

describe('correlationIdFrom', () => {
  it("keeps a caller's safe id, and makes a new one otherwise", () => {
    expect(correlationIdFrom('order-42:retry.1')).toBe('order-42:retry.1');
    expect(correlationIdFrom(['first', 'second'])).toBe('first');
    for (const unsafe of [undefined, '', 'has space', 'x'.repeat(129), 'line\nbreak']) {
      expect(correlationIdFrom(unsafe)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('createRootLogger', () => {
  it('writes JSON lines with the service, an ISO time and the level name', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    createRootLogger('order-service', 'info', sink).info({ orderId: 'o-1' }, 'placed');
    const record = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(record).toMatchObject({ level: 'info', service: 'order-service', orderId: 'o-1', msg: 'placed' });
    expect(String(record.time)).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});
