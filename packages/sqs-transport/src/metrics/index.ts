/**
 * `@sqsref/sqs-transport/metrics`: Prometheus metrics (prom-client) for the consumer and the outbox relay, fed by
 * their event buses. A separate entry, so the transport's main entry never loads prom-client.
 */
export { BoundedLabel, OVERFLOW_LABEL } from './bounded-label.js';
export { TransportMetrics } from './transport-metrics.js';
export type { OutboxBacklog, TransportTotals, WatchedQueue } from './transport-metrics.js';
