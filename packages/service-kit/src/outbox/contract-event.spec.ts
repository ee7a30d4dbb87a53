import { describe, expect, it } from '@jest/globals';
import { QUEUES } from '@sqsref/contracts';
import { InvalidContractEventError } from '../errors.js';
import { causedBy, contractEvent } from './contract-event.js';

const orderId = '6f1c2b8e-2f7a-4a7e-9d55-6d3f1f1c9a10';
const shipmentId = '0b9d7a52-8c1e-4d0e-9a4f-3f7f2a1c5e11';

describe('contractEvent', () => {
  it("routes the event to its contract's queue, grouped by order id, with the origin's correlation", () => {
    const occurredAt = new Date('2026-12-01T10:00:00.000Z');
    const entry = contractEvent(
      'order.cancelled',
      { orderId, cancelledAt: occurredAt.toISOString() },
      { correlationId: 'req-1', occurredAt },
    );
    expect(entry).toMatchObject({
      queue: QUEUES.orderEvents,
      groupId: orderId,
      envelope: {
        type: 'order.cancelled',
        version: 1,
        occurredAt: '2026-12-01T10:00:00.000Z',
        correlationId: 'req-1',
        causationId: null,
        payload: { orderId },
      },
    });
    expect(entry.envelope.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps the flow of the event it answers: same correlation id, caused by its id', () => {
    const cause = { id: 'evt-1', correlationId: 'req-1' };
    const entry = contractEvent(
      'shipment.cancelled',
      { orderId, shipmentId, cancelledAt: new Date().toISOString() },
      causedBy(cause),
    );
    expect(entry.queue).toBe(QUEUES.shipmentEvents);
    expect(entry.envelope).toMatchObject({ correlationId: 'req-1', causationId: 'evt-1' });
  });

  it('refuses a payload its contract refuses, naming the event and the field, before anything is written', () => {
    const bad = { orderId, cancelledAt: 'not a date' };
    expect(() => contractEvent('order.cancelled', bad, { correlationId: 'req-1' })).toThrow(InvalidContractEventError);
    expect(() => contractEvent('order.cancelled', bad, { correlationId: 'req-1' })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONTRACT_EVENT', eventType: 'order.cancelled' }),
    );
    expect(() => contractEvent('order.cancelled', bad, { correlationId: 'req-1' })).toThrow(/cancelledAt/);
  });
});
