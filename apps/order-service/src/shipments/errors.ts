/**
 * A shipment event names an order this service does not know yet. Retryable: with one FIFO group per order this
 * should not happen, so the message is retried with backoff and, if it keeps failing, moved to the DLQ by the
 * queue's redrive policy. Never applied to the wrong order, never dropped.
 *
 * Its code, `ORDER_NOT_YET_KNOWN`, is the consumer's; the HTTP API answers an unknown order with `404
 * ORDER_NOT_FOUND`, a different failure (the client asked for an order that does not exist).
 */
export class OrderNotYetKnownError extends Error {
  readonly code = 'ORDER_NOT_YET_KNOWN';

  constructor(readonly orderId: string) {
    super(`No order ${orderId} yet; the event will be retried.`);
    this.name = 'OrderNotYetKnownError';
  }
}
