import { randomUUID } from 'node:crypto';
import type { EventPayload } from '@sqsref/contracts';
import type { Envelope } from '@sqsref/sqs-transport';
import { createEnvelope } from '@sqsref/sqs-transport';

/** An order.placed event as the order service sends it, for a new order (or the given id). */
export function placed(orderId: string = randomUUID()): Envelope<EventPayload<'order.placed'>> {
  return createEnvelope({
    type: 'order.placed',
    correlationId: `corr-${orderId}`,
    payload: {
      orderId,
      customerId: 'c-1',
      items: [{ sku: 'BOOK-1', quantity: 1 }],
      shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
      placedAt: new Date().toISOString(),
    },
  });
}
