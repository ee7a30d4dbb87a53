import { describe, expect, it } from '@jest/globals';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { createRootLogger, logRelayEvents } from '@sqsref/service-kit';
import type { OutboxRelay } from '@sqsref/sqs-transport';
import { PARKED_ROW_LOG } from '../src/outbox-alarms.js';

describe("the outbox alarm's log filter", () => {
  it('matches the line service-kit writes when the relay parks a row (component, msg and service fields)', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const relay = { events: new EventEmitter() };
    logRelayEvents(relay as unknown as OutboxRelay, createRootLogger('order-service', 'info', destination));
    relay.events.emit('parked', { id: 'row-1', queue: 'order-events.fifo', error: new Error('too big'), attempts: 5 });
    const parked = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parked).toEqual([expect.objectContaining({ ...PARKED_ROW_LOG, service: 'order-service' })]);
  });
});
