import { describe, expect, it } from '@jest/globals';
import { checkPayload, EVENT_TYPES, EVENTS, isEventType } from './index.js';

const orderId = '6f1c2b8e-2f7a-4a7e-9d55-6d3f1f1c9a10';
const placed = {
  orderId,
  customerId: 'c-1',
  items: [{ sku: 'BOOK-1', quantity: 2 }],
  shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
  placedAt: '2026-11-27T10:00:00.000Z',
};

describe('event contracts', () => {
  it('routes order events to the order queue, shipment events to the shipment queue, label requests to shipping', () => {
    const queueOf = (type: string): string =>
      type === 'shipment.label_requested'
        ? 'shipping-labels.fifo'
        : type.startsWith('order.')
          ? 'order-events.fifo'
          : 'shipment-events.fifo';
    for (const type of EVENT_TYPES) expect(EVENTS[type].queue).toBe(queueOf(type));
  });

  it('accepts a valid order.placed v1', () => {
    const check = checkPayload('order.placed', 1, placed);
    expect(check).toEqual({ ok: true, value: placed });
  });

  it('accepts a newer minor version with extra fields, dropping what it does not know', () => {
    const check = checkPayload('order.placed', 1, {
      ...placed,
      giftWrap: true,
      items: [{ sku: 'A', quantity: 1, note: 'x' }],
    });
    expect(check.ok).toBe(true);
    if (check.ok) {
      expect(check.value).not.toHaveProperty('giftWrap');
      expect(check.value.items[0]).toEqual({ sku: 'A', quantity: 1 });
    }
  });

  it('reports every invalid field by path', () => {
    const check = checkPayload('order.placed', 1, {
      ...placed,
      items: [{ sku: '', quantity: 0 }],
      shippingAddress: { ...placed.shippingAddress, country: 'Germany' },
    });
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.issues).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^items\.0\.sku: /),
          expect.stringMatching(/^items\.0\.quantity: /),
          expect.stringMatching(/^shippingAddress\.country: must be an ISO 3166-1 alpha-2 code/),
        ]),
      );
    }
  });

  it('rejects unknown types and versions with a clear issue', () => {
    expect(checkPayload('order.shipped', 1, {})).toEqual({ ok: false, issues: ['unknown event type "order.shipped"'] });
    expect(checkPayload('order.placed', 2, placed)).toEqual({
      ok: false,
      issues: ['"order.placed" has no version 2 (known: 1)'],
    });
    expect(isEventType('shipment.cancel_rejected')).toBe(true);
  });

  it('requires a reason code on shipment.cancel_rejected', () => {
    const base = { shipmentId: orderId, orderId, rejectedAt: '2026-11-27T10:00:00.000Z' };
    expect(checkPayload('shipment.cancel_rejected', 1, { ...base, reason: 'already_dispatched' }).ok).toBe(true);
    expect(checkPayload('shipment.cancel_rejected', 1, { ...base, reason: 'bored' }).ok).toBe(false);
  });
});
