/**
 * `order.cancelled` names an order that has no shipment (yet). Retryable: `order.placed` precedes it in the
 * order's FIFO group, so this only happens when that message is still failing; after `maxReceiveCount`
 * deliveries the redrive policy parks it in the DLQ.
 */
export class ShipmentNotFoundYetError extends Error {
  readonly code = 'SHIPMENT_NOT_FOUND';

  constructor(readonly orderId: string) {
    super(`No shipment for order ${orderId} (yet); the event will be retried.`);
    this.name = 'ShipmentNotFoundYetError';
  }
}
