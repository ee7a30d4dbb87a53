/** Logical queue names; `infra/queues.json` defines them (and their DLQs) once for every environment. */
export const QUEUES = {
  /** Order events (`order.*`), FIFO, grouped by order id. Consumed by shipping. */
  orderEvents: 'order-events.fifo',
  /** Shipment events (`shipment.*`), FIFO, grouped by order id. Consumed by order. */
  shipmentEvents: 'shipment-events.fifo',
  /**
   * Shipping's own work queue (`shipment.label_requested`), FIFO, grouped by order id. Produced and consumed by
   * shipping only: it runs the slow label job in its own message, kept alive by the heartbeat, in lease mode.
   */
  shippingLabels: 'shipping-labels.fifo',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
