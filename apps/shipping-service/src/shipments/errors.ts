/**
 * `order.cancelled` names an order that has no shipment yet. Retryable: `order.placed` precedes it in the
 * order's FIFO group, so this only happens when that message is still failing; after `maxReceiveCount`
 * deliveries the redrive policy parks it in the DLQ.
 *
 * Its code, `SHIPMENT_NOT_YET_KNOWN`, is the consumer's; the HTTP API answers an unknown shipment with `404
 * SHIPMENT_NOT_FOUND`, a different failure (the client asked for a shipment that does not exist).
 */
export class ShipmentNotYetKnownError extends Error {
  readonly code = 'SHIPMENT_NOT_YET_KNOWN';

  constructor(readonly orderId: string) {
    super(`No shipment for order ${orderId} yet; the event will be retried.`);
    this.name = 'ShipmentNotYetKnownError';
  }
}
