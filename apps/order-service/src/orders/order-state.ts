import type { OrderStatus, ShipmentStatus } from '../generated/prisma/enums.js';

/**
 * The order's state machine: pure functions, no I/O. The order's status follows its shipment (as shipping
 * reports it, one FIFO group per order, so in order) and its cancellation:
 *
 *   PENDING --shipment.created--> SHIPMENT_CREATED --shipment.label_created--> LABEL_CREATED
 *     --shipment.dispatched--> SHIPPED
 *   any of the first three --cancel (HTTP)--> CANCEL_REQUESTED
 *   CANCEL_REQUESTED --shipment.cancelled--> CANCELLED
 *   CANCEL_REQUESTED --shipment.dispatched--> SHIPPED (too late: shipping rejects the cancel)
 *   SHIPPED --shipment.cancel_rejected--> SHIPPED (recorded in the history)
 *
 * While CANCEL_REQUESTED, the shipment's progress (created, label) is still recorded. Anything else is an
 * impossible transition: the caller dead-letters the event with the reason rather than apply it wrongly.
 */

export type ShipmentEventType =
  | 'shipment.created'
  | 'shipment.label_created'
  | 'shipment.dispatched'
  | 'shipment.cancelled'
  | 'shipment.cancel_rejected';

export const SHIPMENT_EVENT_TYPES: readonly ShipmentEventType[] = [
  'shipment.created',
  'shipment.label_created',
  'shipment.dispatched',
  'shipment.cancelled',
  'shipment.cancel_rejected',
];

/** What the state machine needs to know about an order. */
export interface OrderState {
  status: OrderStatus;
  shipmentStatus: ShipmentStatus | null;
  /** Whether a cancellation was ever accepted. */
  cancelRequested: boolean;
}

export type ShipmentTransition =
  { ok: true; status: OrderStatus; shipmentStatus: ShipmentStatus } | { ok: false; reason: string };

export type CancelDecision =
  | { ok: true; status: 'CANCEL_REQUESTED'; alreadyRequested: boolean }
  | { ok: false; code: 'ORDER_ALREADY_SHIPPED' | 'ORDER_ALREADY_CANCELLED' | 'ORDER_CANCEL_REJECTED'; reason: string };

/** The shipment's own lifecycle, as shipping runs it: which event may follow which shipment status. */
const SHIPMENT_STEPS: Record<
  ShipmentEventType,
  { from: ReadonlyArray<ShipmentStatus | null>; to: ShipmentStatus | null }
> = {
  'shipment.created': { from: [null], to: 'CREATED' },
  'shipment.label_created': { from: ['CREATED'], to: 'LABEL_CREATED' },
  'shipment.dispatched': { from: ['LABEL_CREATED'], to: 'DISPATCHED' },
  'shipment.cancelled': { from: ['CREATED', 'LABEL_CREATED'], to: 'CANCELLED' },
  'shipment.cancel_rejected': { from: ['DISPATCHED'], to: null },
};

/** The order status that a shipment status means when no cancellation is pending. */
export function shipPathStatus(shipment: ShipmentStatus | null): OrderStatus {
  switch (shipment) {
    case null:
      return 'PENDING';
    case 'CREATED':
      return 'SHIPMENT_CREATED';
    case 'LABEL_CREATED':
      return 'LABEL_CREATED';
    case 'DISPATCHED':
      return 'SHIPPED';
    case 'CANCELLED':
      return 'CANCELLED';
  }
}

/** Applies a shipment event to an order, or says why it cannot be applied. */
export function applyShipmentEvent(order: OrderState, type: ShipmentEventType): ShipmentTransition {
  const step = SHIPMENT_STEPS[type];
  const current = order.shipmentStatus ?? 'not created yet';
  if (order.status === 'CANCELLED') return impossible(`the order is cancelled (shipment ${current})`);
  if (!step.from.includes(order.shipmentStatus)) {
    return impossible(`the shipment is ${current}, and ${type} only follows ${step.from.map(describe).join(' or ')}`);
  }
  const shipmentStatus = step.to ?? (order.shipmentStatus as ShipmentStatus);
  switch (type) {
    case 'shipment.cancelled':
      if (order.status !== 'CANCEL_REQUESTED')
        return impossible(`no cancellation was requested (status ${order.status})`);
      return { ok: true, status: 'CANCELLED', shipmentStatus };
    case 'shipment.cancel_rejected':
      if (!order.cancelRequested) return impossible(`no cancellation was requested (status ${order.status})`);
      return { ok: true, status: 'SHIPPED', shipmentStatus };
    default: {
      // A pending cancellation holds the status until shipping answers, unless the parcel has left already.
      const status =
        order.status === 'CANCEL_REQUESTED' && shipmentStatus !== 'DISPATCHED'
          ? 'CANCEL_REQUESTED'
          : shipPathStatus(shipmentStatus);
      return { ok: true, status, shipmentStatus };
    }
  }
}

/** Whether a cancellation can be requested now. Requesting it again while pending is accepted (and a no-op). */
export function decideCancel(order: OrderState): CancelDecision {
  switch (order.status) {
    case 'CANCEL_REQUESTED':
      return { ok: true, status: 'CANCEL_REQUESTED', alreadyRequested: true };
    case 'CANCELLED':
      return { ok: false, code: 'ORDER_ALREADY_CANCELLED', reason: 'The order is already cancelled.' };
    case 'SHIPPED':
      return {
        ok: false,
        code: 'ORDER_ALREADY_SHIPPED',
        reason: 'The order has shipped; it can no longer be cancelled.',
      };
    default:
      if (order.cancelRequested) {
        return {
          ok: false,
          code: 'ORDER_CANCEL_REJECTED',
          reason: 'Shipping rejected the cancellation: the shipment was already dispatched.',
        };
      }
      return { ok: true, status: 'CANCEL_REQUESTED', alreadyRequested: false };
  }
}

function impossible(reason: string): ShipmentTransition {
  return { ok: false, reason };
}

function describe(status: ShipmentStatus | null): string {
  return status ?? 'no shipment';
}
