import { describe, expect, it } from '@jest/globals';
import { createEnvelope } from './envelope.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createEnvelope', () => {
  it('fills in a new event id, version 1, the time, correlation = id and no causation', () => {
    const before = Date.now();
    const envelope = createEnvelope({ type: 'order.placed', payload: { orderId: 'o-1' } });
    expect(envelope.id).toMatch(UUID);
    expect(envelope).toMatchObject({
      type: 'order.placed',
      version: 1,
      correlationId: envelope.id,
      causationId: null,
      payload: { orderId: 'o-1' },
    });
    const occurredAt = Date.parse(envelope.occurredAt);
    expect(occurredAt).toBeGreaterThanOrEqual(before);
    expect(envelope.occurredAt).toBe(new Date(occurredAt).toISOString());
  });

  it('gives every event its own id', () => {
    const ids = new Set(Array.from({ length: 100 }, () => createEnvelope({ type: 't', payload: null }).id));
    expect(ids.size).toBe(100);
  });

  it('keeps the fields it is given', () => {
    const envelope = createEnvelope({
      type: 'shipment.created',
      payload: [1],
      version: 3,
      id: 'event-7',
      occurredAt: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)),
      correlationId: 'flow-1',
      causationId: 'event-6',
    });
    expect(envelope).toEqual({
      id: 'event-7',
      type: 'shipment.created',
      version: 3,
      occurredAt: '2030-01-02T03:04:05.000Z',
      correlationId: 'flow-1',
      causationId: 'event-6',
      payload: [1],
    });
    expect(createEnvelope({ type: 't', payload: 1, occurredAt: '2030-01-01T00:00:00Z' }).occurredAt).toBe(
      '2030-01-01T00:00:00Z',
    );
  });
});
