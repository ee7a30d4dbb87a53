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

/** The services of the system, by the name each runs under (logs, inbox keys, the AWS task roles). */
export type ServiceName = 'order-service' | 'shipping-service';

/**
 * Which queues each service consumes and sends to: the one place that says so. Each service's start definition
 * uses it (what it polls, what `/ready` checks), and `infra/aws` derives each service's least-privilege task role
 * from it. A consumer also sends to the DLQ of each queue it consumes (non-retryable failures) and looks that DLQ
 * up: the queue's `deadLetter` in `infra/queues.json`.
 */
export const SERVICE_QUEUES = {
  'order-service': {
    consumes: [QUEUES.shipmentEvents],
    produces: [QUEUES.orderEvents],
  },
  'shipping-service': {
    consumes: [QUEUES.orderEvents, QUEUES.shippingLabels],
    produces: [QUEUES.shipmentEvents, QUEUES.shippingLabels],
  },
} as const satisfies Record<ServiceName, { consumes: readonly QueueName[]; produces: readonly QueueName[] }>;
