import { randomUUID } from 'node:crypto';
import type { EventPayload, EventType } from '@sqsref/contracts';
import type { Envelope } from '@sqsref/sqs-transport';
import { createEnvelope } from '@sqsref/sqs-transport';

export const newOrder = (customerId = 'c-1') => ({
  customerId,
  items: [{ sku: 'BOOK-1', quantity: 2 }],
  shippingAddress: { name: 'Ada Lovelace', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
});

const now = () => new Date().toISOString();

/** The events shipping would send for one order's shipment. */
export function shipmentEvents(orderId: string, shipmentId = randomUUID()) {
  const ref = { orderId, shipmentId };
  const event = <T extends EventType>(type: T, payload: EventPayload<T>): Envelope =>
    createEnvelope({ type, payload, correlationId: `corr-${orderId}` });
  return {
    shipmentId,
    created: () => event('shipment.created', { ...ref, createdAt: now() }),
    labelCreated: () =>
      event('shipment.label_created', { ...ref, carrier: 'TEST', trackingNumber: `T-${orderId}`, createdAt: now() }),
    dispatched: () => event('shipment.dispatched', { ...ref, dispatchedAt: now() }),
    cancelled: () => event('shipment.cancelled', { ...ref, cancelledAt: now() }),
    cancelRejected: () =>
      event('shipment.cancel_rejected', { ...ref, reason: 'already_dispatched', rejectedAt: now() }),
  };
}
