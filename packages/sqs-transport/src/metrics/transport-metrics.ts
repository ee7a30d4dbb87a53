import type { SQSClient } from '@aws-sdk/client-sqs';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { delay } from '../delay.js';
import { errorCode } from '../errors.js';
import type { EventBus } from '../event-bus.js';
import type { ConsumerEvents, MessageEventBase } from '../events.js';
import type { RelayEvents } from '../outbox/relay-events.js';
import { queueNameOf } from '../queue-urls.js';
import { BoundedLabel } from './bounded-label.js';

/** Distinct values kept per label fed by messages (event types, error codes) before they fold into `other`. */
const MAX_LABEL_VALUES = 100;

/** Handler duration buckets, in seconds: a few ms (no-op handlers) up to the slow label job's minutes. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
/** Longest wait for the outbox backlog query at scrape time, in ms: a stalled database must not stall `/metrics`. */
const BACKLOG_TIMEOUT_MS = 1_000;

/** Message age buckets, in seconds: from a hot queue's milliseconds to a backlog's hour. */
const AGE_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/** The outbox's pending rows, read at scrape time (e.g. `PrismaOutboxStore.backlog()`). */
export interface OutboxBacklog {
  rows: number;
  /** When the oldest pending row was written; null when there is none. */
  oldestCreatedAt: Date | null;
}

/** A queue whose depth `sqs_queue_messages` reports, with its DLQ's (e.g. a consumer's `resolvedQueues`). */
export interface WatchedQueue {
  name: string;
  url: string;
  deadLetterQueueUrl?: string | undefined;
}

/** What `GET /stats` shows, summed over every label of the counters below (one source of truth). */
export interface TransportTotals {
  received: number;
  processed: number;
  duplicates: number;
  failed: number;
  retried: number;
  heldForOutage: number;
  pollingPaused: boolean;
  deadLettered: number;
  leasesLost: number;
  outboxSent: number;
  outboxParked: number;
}

/**
 * The transport's Prometheus metrics (prom-client), fed by the consumer's and the relay's event buses, never from
 * the message path itself: a listener is a counter increment. Labels are the queue name and the event type (and an
 * error code or DLQ reason), never an id; types and codes are bounded (see {@link BoundedLabel}). The names are a
 * contract with the dashboard in `infra/observability/` and with `docs/observability.md`.
 */
export class TransportMetrics {
  readonly registry: Registry;
  private readonly types = new BoundedLabel(MAX_LABEL_VALUES);
  private readonly codes = new BoundedLabel(MAX_LABEL_VALUES);
  private readonly queueNames = new Map<string, string>();

  readonly received: Counter<'queue'>;
  readonly processed: Counter<'queue' | 'type'>;
  readonly failed: Counter<'queue' | 'type' | 'code'>;
  readonly retried: Counter<'queue' | 'type'>;
  readonly deadLettered: Counter<'queue' | 'type' | 'reason'>;
  readonly held: Counter<'queue' | 'type'>;
  readonly visibilityExtended: Counter<'queue'>;
  readonly leasesLost: Counter<'queue'>;
  readonly duplicates: Counter<'queue' | 'type'>;
  readonly handlerDuration: Histogram<'queue' | 'type'>;
  readonly messageAge: Histogram<'queue' | 'type'>;
  readonly pollingPaused: Gauge;
  readonly outboxSent: Counter<'queue'>;
  readonly outboxParked: Counter<'queue'>;

  constructor(registry: Registry = new Registry()) {
    this.registry = registry;
    const registers = [registry];
    const counter = <L extends string>(name: string, help: string, labelNames: L[]): Counter<L> =>
      new Counter({ name, help, labelNames, registers });
    this.received = counter('sqs_consumer_messages_received_total', 'Messages received and held.', ['queue']);
    this.processed = counter(
      'sqs_consumer_messages_processed_total',
      'Messages whose handler succeeded and that were acked, or duplicates the inbox absorbed.',
      ['queue', 'type'],
    );
    this.failed = counter('sqs_consumer_messages_failed_total', 'Handler or validation failures, by error code.', [
      'queue',
      'type',
      'code',
    ]);
    this.retried = counter(
      'sqs_consumer_messages_retried_total',
      'Messages returned to the queue after a backoff (a failure, or a failure earlier in their FIFO group).',
      ['queue', 'type'],
    );
    this.deadLettered = counter(
      'sqs_consumer_messages_dead_lettered_total',
      'Messages moved to their DLQ at once, by reason code.',
      ['queue', 'type', 'reason'],
    );
    this.held = counter(
      'sqs_consumer_messages_held_total',
      'Handler failures because a dependency was unavailable: the message was kept and retried in process.',
      ['queue', 'type'],
    );
    this.visibilityExtended = counter(
      'sqs_consumer_visibility_extended_total',
      'Visibility extensions by the heartbeat (one per message extended).',
      ['queue'],
    );
    this.leasesLost = counter(
      'sqs_consumer_leases_lost_total',
      'Held messages whose lease was lost (extension refused or visibility ran out).',
      ['queue'],
    );
    this.duplicates = counter(
      'sqs_consumer_duplicates_absorbed_total',
      'Deliveries the inbox recognised as processed before: acked without running the handler.',
      ['queue', 'type'],
    );
    const byQueueAndType = (name: string, help: string, buckets: number[]): Histogram<'queue' | 'type'> =>
      new Histogram({ name, help, labelNames: ['queue', 'type'], buckets, registers });
    this.handlerDuration = byQueueAndType(
      'sqs_consumer_handler_duration_seconds',
      'Handler duration (inbox transaction included), successes and failures.',
      DURATION_BUCKETS,
    );
    this.messageAge = byQueueAndType(
      'sqs_consumer_message_age_seconds',
      'Age of a message when its processing starts: now minus SentTimestamp.',
      AGE_BUCKETS,
    );
    this.pollingPaused = new Gauge({
      name: 'sqs_consumer_polling_paused',
      help: '1 while polling is paused by a dependency outage, else 0.',
      registers,
    });
    this.pollingPaused.set(0);
    this.outboxSent = counter('sqs_outbox_sent_total', 'Outbox rows SQS accepted.', ['queue']);
    this.outboxParked = counter(
      'sqs_outbox_parked_total',
      'Outbox rows parked after too many failed sends (or a send SQS can never accept).',
      ['queue'],
    );
  }

  /** Counts what a consumer reports (`server.consumer.events`, or an `SqsConsumer`'s `events`). */
  observeConsumer(events: EventBus<ConsumerEvents>): this {
    events
      .on('received', (event) => this.received.inc({ queue: this.queueOf(event.queueUrl) }))
      .on('processed', (event) => {
        const labels = this.labels(event);
        this.processed.inc(labels);
        if (event.duplicate) this.duplicates.inc(labels);
        this.observeRun(event, labels);
      })
      .on('failed', (event) => {
        const labels = this.labels(event);
        this.failed.inc({ ...labels, code: this.codes.value(errorCode(event.error)) });
        this.observeRun(event, labels);
      })
      .on('held', (event) => this.held.inc(this.labels(event)))
      .on('retried', (event) => this.retried.inc(this.labels(event)))
      .on('dead-lettered', (event) =>
        this.deadLettered.inc({ ...this.labels(event), reason: this.codes.value(event.errorCode) }),
      )
      .on('extended', (event) =>
        this.visibilityExtended.inc({ queue: this.queueOf(event.queueUrl) }, event.messageIds.length),
      )
      .on('lease-lost', (event) => this.leasesLost.inc({ queue: this.queueOf(event.queueUrl) }))
      .on('polling-paused', () => this.pollingPaused.set(1))
      .on('polling-resumed', () => this.pollingPaused.set(0));
    return this;
  }

  /**
   * Counts what an outbox relay reports (`relay.events`), and reads the backlog at scrape time when given (waiting at
   * most 1 s: the backlog gauges keep their last values when the store does not answer in time).
   */
  observeRelay(events: EventBus<RelayEvents>, backlog?: () => Promise<OutboxBacklog>): this {
    events
      .on('sent', (event) => this.outboxSent.inc({ queue: event.queue }, event.ids.length))
      .on('parked', (event) => this.outboxParked.inc({ queue: event.queue }));
    if (!backlog) return this;
    let last: Promise<OutboxBacklog | undefined> | undefined;
    // One store query per scrape for both gauges: the first gauge's collect starts it, the second reuses it.
    const read = (first: boolean): Promise<OutboxBacklog | undefined> => {
      if (first || !last) {
        const timeout = new AbortController();
        last = Promise.race([
          backlog().catch(() => undefined),
          delay(BACKLOG_TIMEOUT_MS, timeout.signal).then(() => undefined),
        ]).finally(() => timeout.abort());
      }
      return last;
    };
    new Gauge({
      name: 'sqs_outbox_backlog_rows',
      help: 'Outbox rows not sent yet (parked rows included).',
      registers: [this.registry],
      async collect() {
        const value = await read(true);
        if (value) this.set(value.rows);
      },
    });
    const clock = (): number => Date.now();
    new Gauge({
      name: 'sqs_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest outbox row not sent yet; 0 when there is none.',
      registers: [this.registry],
      async collect() {
        const value = await read(false);
        if (!value) return;
        this.set(value.oldestCreatedAt ? Math.max(0, (clock() - value.oldestCreatedAt.getTime()) / 1000) : 0);
      },
    });
    return this;
  }

  /**
   * Reports `sqs_queue_messages{queue,state}` (visible, in_flight, delayed), read with `GetQueueAttributes` at
   * scrape time, for the queues `queues()` returns then and their DLQs (e.g. `() => consumer.resolvedQueues`). A
   * queue that cannot be read keeps its last values.
   */
  observeQueueDepth(sqs: SQSClient, queues: () => readonly WatchedQueue[]): this {
    const withDeadLetters = (): WatchedQueue[] =>
      queues().flatMap((queue) =>
        queue.deadLetterQueueUrl === undefined
          ? [queue]
          : [queue, { name: queueNameOf(queue.deadLetterQueueUrl), url: queue.deadLetterQueueUrl }],
      );
    new Gauge({
      name: 'sqs_queue_messages',
      help: 'Messages in a queue by state (SQS approximate counts, read at scrape time).',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        await Promise.all(
          withDeadLetters().map(async (queue) => {
            try {
              const { Attributes: attributes = {} } = await sqs.send(
                new GetQueueAttributesCommand({
                  QueueUrl: queue.url,
                  AttributeNames: [
                    'ApproximateNumberOfMessages',
                    'ApproximateNumberOfMessagesNotVisible',
                    'ApproximateNumberOfMessagesDelayed',
                  ],
                }),
              );
              this.set({ queue: queue.name, state: 'visible' }, Number(attributes.ApproximateNumberOfMessages ?? 0));
              this.set(
                { queue: queue.name, state: 'in_flight' },
                Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
              );
              this.set(
                { queue: queue.name, state: 'delayed' },
                Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0),
              );
            } catch {
              // Unreadable now (SQS away): keep the last values; /ready reports the outage.
            }
          }),
        );
      },
    });
    return this;
  }

  /** The counters summed over their labels: what `GET /stats` shows. */
  async totals(): Promise<TransportTotals> {
    const sum = async (metric: Counter<string>): Promise<number> =>
      (await metric.get()).values.reduce((total, sample) => total + sample.value, 0);
    const paused = (await this.pollingPaused.get()).values[0]?.value ?? 0;
    return {
      received: await sum(this.received),
      processed: await sum(this.processed),
      duplicates: await sum(this.duplicates),
      failed: await sum(this.failed),
      retried: await sum(this.retried),
      heldForOutage: await sum(this.held),
      pollingPaused: paused === 1,
      deadLettered: await sum(this.deadLettered),
      leasesLost: await sum(this.leasesLost),
      outboxSent: await sum(this.outboxSent),
      outboxParked: await sum(this.outboxParked),
    };
  }

  private observeRun(event: MessageEventBase & { durationMs: number }, labels: { queue: string; type: string }): void {
    this.handlerDuration.observe(labels, event.durationMs / 1000);
    if (event.sentAt !== undefined) {
      const startedAt = Date.now() - event.durationMs;
      this.messageAge.observe(labels, Math.max(0, (startedAt - event.sentAt) / 1000));
    }
  }

  private labels(event: MessageEventBase): { queue: string; type: string } {
    return { queue: this.queueOf(event.queueUrl), type: this.types.value(event.eventType) };
  }

  private queueOf(url: string): string {
    let name = this.queueNames.get(url);
    if (name === undefined) {
      name = queueNameOf(url);
      this.queueNames.set(url, name);
    }
    return name;
  }
}
