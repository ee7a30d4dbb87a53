import type { SQSClient } from '@aws-sdk/client-sqs';
import type { OutboxRelay, SqsServer } from '@sqsref/sqs-transport';
import type { OutboxBacklog } from '@sqsref/sqs-transport/metrics';
import { TransportMetrics } from '@sqsref/sqs-transport/metrics';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { HttpLabel } from './http-metrics.js';

/** HTTP duration buckets, in seconds (Prometheus's defaults, plus the request deadline's range). */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Every metric a service serves on `GET /metrics`, in one registry: prom-client's default `process_*` and
 * `nodejs_*` metrics, `http_server_request_duration_seconds`, and the transport's ({@link TransportMetrics}: the
 * consumer, the outbox relay and backlog, the depth of the queues it reads and their DLQs).
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly transport: TransportMetrics;
  readonly httpDuration: Histogram<HttpLabel>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.transport = new TransportMetrics(this.registry);
    this.httpDuration = new Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status code.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: HTTP_BUCKETS,
      registers: [this.registry],
    });
  }

  /** Feeds the transport metrics from the service's consumer, relay, outbox store and SQS client. */
  observe(server: SqsServer, relay: OutboxRelay, backlog: () => Promise<OutboxBacklog>, sqs: SQSClient): this {
    this.transport
      .observeConsumer(server.consumer.events)
      .observeRelay(relay.events, backlog)
      .observeQueueDepth(sqs, () => server.consumer.resolvedQueues);
    return this;
  }

  /** The Prometheus text exposition of every metric. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
