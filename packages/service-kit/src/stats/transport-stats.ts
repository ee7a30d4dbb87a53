import type { TransportMetrics, TransportTotals } from '@sqsref/sqs-transport/metrics';

/** What the service's consumer and outbox relay did since it started (see {@link TransportTotals}). */
export type TransportCounts = TransportTotals;

/**
 * `GET /stats` (the demo reads it): the transport's Prometheus counters summed over their labels. It keeps no
 * counts of its own, so `/stats` and `/metrics` can never disagree.
 */
export class TransportStats {
  constructor(private readonly metrics: TransportMetrics) {}

  snapshot(): Promise<TransportCounts> {
    return this.metrics.totals();
  }
}
