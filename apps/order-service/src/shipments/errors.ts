/**
 * A shipment event names an order this service does not have (yet). Retryable: with one FIFO group per order this
 * should not happen, so the message is retried with backoff and, if it keeps failing, moved to the DLQ by the
 * queue's redrive policy. Never applied to the wrong order, never dropped.
 */
export class OrderNotFoundYetError extends Error {
  readonly code = 'ORDER_NOT_FOUND';

  constructor(readonly orderId: string) {
    super(`No order ${orderId} (yet); the event will be retried.`);
    this.name = 'OrderNotFoundYetError';
  }
}
