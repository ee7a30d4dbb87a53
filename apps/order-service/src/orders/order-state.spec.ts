import { describe, expect, it } from '@jest/globals';
import type { OrderState, ShipmentEventType } from './order-state.js';
import { applyShipmentEvent, decideCancel, SHIPMENT_EVENT_TYPES } from './order-state.js';

const order = (
  status: OrderState['status'],
  shipmentStatus: OrderState['shipmentStatus'],
  cancelRequested = false,
) => ({
  status,
  shipmentStatus,
  cancelRequested,
});

/** Runs events from a fresh order; returns the final state, or the reason of the first impossible step. */
function run(events: Array<ShipmentEventType | 'cancel'>): OrderState | string {
  let state: OrderState = order('PENDING', null);
  for (const event of events) {
    if (event === 'cancel') {
      const decision = decideCancel(state);
      if (!decision.ok) return decision.code;
      state = { ...state, status: decision.status, cancelRequested: true };
      continue;
    }
    const next = applyShipmentEvent(state, event);
    if (!next.ok) return next.reason;
    state = { ...state, status: next.status, shipmentStatus: next.shipmentStatus };
  }
  return state;
}

describe('order state machine', () => {
  it('follows the shipment to SHIPPED', () => {
    expect(run(['shipment.created', 'shipment.label_created', 'shipment.dispatched'])).toEqual(
      order('SHIPPED', 'DISPATCHED'),
    );
  });

  it.each([
    [['cancel', 'shipment.created', 'shipment.cancelled']],
    [['shipment.created', 'cancel', 'shipment.cancelled']],
    [['shipment.created', 'shipment.label_created', 'cancel', 'shipment.cancelled']],
    [['cancel', 'shipment.created', 'shipment.label_created', 'shipment.cancelled']],
  ] as Array<[Array<ShipmentEventType | 'cancel'>]>)('a cancellation shipping accepts ends CANCELLED: %j', (events) => {
    expect(run(events)).toMatchObject({ status: 'CANCELLED', shipmentStatus: 'CANCELLED', cancelRequested: true });
  });

  it('records the shipment progress while a cancellation is pending', () => {
    expect(run(['cancel', 'shipment.created', 'shipment.label_created'])).toEqual(
      order('CANCEL_REQUESTED', 'LABEL_CREATED', true),
    );
  });

  it('a cancellation that came too late ends SHIPPED, with the rejection recorded', () => {
    expect(
      run(['shipment.created', 'shipment.label_created', 'cancel', 'shipment.dispatched', 'shipment.cancel_rejected']),
    ).toEqual(order('SHIPPED', 'DISPATCHED', true));
  });

  it('refuses to cancel a shipped or cancelled order, and accepts a repeated request while pending', () => {
    expect(decideCancel(order('SHIPPED', 'DISPATCHED'))).toMatchObject({ ok: false, code: 'ORDER_ALREADY_SHIPPED' });
    expect(decideCancel(order('CANCELLED', 'CANCELLED', true))).toMatchObject({
      ok: false,
      code: 'ORDER_ALREADY_CANCELLED',
    });
    expect(decideCancel(order('CANCEL_REQUESTED', 'CREATED', true))).toEqual({
      ok: true,
      status: 'CANCEL_REQUESTED',
      alreadyRequested: true,
    });
    expect(decideCancel(order('LABEL_CREATED', 'LABEL_CREATED'))).toEqual({
      ok: true,
      status: 'CANCEL_REQUESTED',
      alreadyRequested: false,
    });
  });

  it.each([
    ['shipment.label_created before shipment.created', ['shipment.label_created'], /shipment is not created yet/],
    ['a second shipment.created', ['shipment.created', 'shipment.created'], /only follows no shipment/],
    ['shipment.dispatched without a label', ['shipment.created', 'shipment.dispatched'], /only follows LABEL_CREATED/],
    ['shipment.cancelled without a cancellation', ['shipment.created', 'shipment.cancelled'], /no cancellation/],
    [
      'shipment.cancel_rejected without a cancellation',
      ['shipment.created', 'shipment.label_created', 'shipment.dispatched', 'shipment.cancel_rejected'],
      /no cancellation/,
    ],
    [
      'anything after CANCELLED',
      ['cancel', 'shipment.created', 'shipment.cancelled', 'shipment.label_created'],
      /order is cancelled/,
    ],
  ] as Array<[string, Array<ShipmentEventType | 'cancel'>, RegExp]>)('calls %s impossible', (_name, events, reason) => {
    expect(run(events)).toMatch(reason);
  });

  it('never leaves a known status for an unknown one', () => {
    const statuses = [
      'PENDING',
      'SHIPMENT_CREATED',
      'LABEL_CREATED',
      'SHIPPED',
      'CANCEL_REQUESTED',
      'CANCELLED',
    ] as const;
    const shipments = [null, 'CREATED', 'LABEL_CREATED', 'DISPATCHED', 'CANCELLED'] as const;
    for (const status of statuses)
      for (const shipmentStatus of shipments)
        for (const type of SHIPMENT_EVENT_TYPES) {
          const next = applyShipmentEvent({ status, shipmentStatus, cancelRequested: true }, type);
          if (next.ok) expect(statuses).toContain(next.status);
          else expect(next.reason.length).toBeGreaterThan(0);
        }
  });
});
