import type { OutboxRelay, SqsServer } from '@sqsref/sqs-transport';

/** Counters of what the service's consumer and outbox relay did since it started. */
export interface TransportCounts {
  received: number;
  processed: number;
  /** Deliveries the inbox recognised as already processed: acked without running the handler. */
  duplicates: number;
  failed: number;
  retried: number;
  /** Handler failures because a dependency (the database) was unavailable: kept and retried in process. */
  heldForOutage: number;
  /** Whether polling is paused right now by a dependency outage. */
  pollingPaused: boolean;
  deadLettered: number;
  outboxSent: number;
  outboxParked: number;
}

/**
 * Counts transport events for `GET /stats` (the demo reads it; metrics exporters could too). Counting is all it
 * does: the events themselves come from the transport's hooks.
 */
export class TransportStats {
  private readonly counts: TransportCounts = {
    received: 0,
    processed: 0,
    duplicates: 0,
    failed: 0,
    retried: 0,
    heldForOutage: 0,
    pollingPaused: false,
    deadLettered: 0,
    outboxSent: 0,
    outboxParked: 0,
  };

  attach(server: SqsServer, relay: OutboxRelay): this {
    server
      .onEvent('received', () => (this.counts.received += 1))
      .onEvent('processed', (event) => {
        this.counts.processed += 1;
        if (event.duplicate) this.counts.duplicates += 1;
      })
      .onEvent('failed', () => (this.counts.failed += 1))
      .onEvent('retried', () => (this.counts.retried += 1))
      .onEvent('held', () => (this.counts.heldForOutage += 1))
      .onEvent('polling-paused', () => (this.counts.pollingPaused = true))
      .onEvent('polling-resumed', () => (this.counts.pollingPaused = false))
      .onEvent('dead-lettered', () => (this.counts.deadLettered += 1));
    relay.events
      .on('sent', (event) => (this.counts.outboxSent += event.ids.length))
      .on('parked', () => (this.counts.outboxParked += 1));
    return this;
  }

  snapshot(): TransportCounts {
    return { ...this.counts };
  }
}
