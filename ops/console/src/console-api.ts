import type { SQSClient } from '@aws-sdk/client-sqs';
import { errorMessage } from '@sqsref/sqs-transport';
import type { ChartSampler, ChartSample } from './charts.js';
import type { DeadLetterView } from './dead-letters.js';
import { peekDeadLetters } from './dead-letters.js';
import { InvalidRequestError, UnknownQueueError } from './errors.js';
import { KeyedLock } from './keyed-lock.js';
import type { OrderFeed } from './order-feed.js';
import type { QueueDirectory } from './queues.js';
import { queueDepth } from '@sqsref/sqs-transport/dlq';
import type { Redriver, RedriveResult } from './redrive.js';
import type { OrderTimeline } from './timeline.js';

/** The most messages the Dead letters page shows per DLQ. */
export const MAX_SHOWN_DEAD_LETTERS = 100;

export interface QueueRow {
  name: string;
  kind: 'source' | 'dlq';
  partner: string | null;
  visible: number | null;
  inFlight: number | null;
  delayed: number | null;
  /**
   * Age of the oldest message in seconds: read for DLQs (by peeking); null for source queues, where SQS offers no
   * way to read it without receiving (which would count against their redrive policy).
   */
  oldestAgeSeconds: number | null;
  /** For a source queue, the depth of its DLQ. */
  deadLetterDepth: number | null;
  /** Set when SQS did not answer for this queue. */
  error: string | null;
}

export interface DeadLetterQueueView {
  name: string;
  sourceQueue: string | null;
  depth: number;
  messages: DeadLetterView[];
}

/** What the browser can ask; the HTTP layer only routes to it. */
export class ConsoleApi {
  private readonly lock = new KeyedLock();

  constructor(
    private readonly sqs: SQSClient,
    private readonly directory: QueueDirectory,
    private readonly orders: OrderFeed,
    private readonly charts: ChartSampler,
    private readonly redriver: Redriver,
    private readonly now: () => number = Date.now,
  ) {}

  async queues(): Promise<QueueRow[]> {
    const rows = await Promise.all(
      this.directory.queues.map(async (queue): Promise<QueueRow> => {
        const row: QueueRow = {
          name: queue.name,
          kind: queue.kind,
          partner: queue.partner ?? null,
          visible: null,
          inFlight: null,
          delayed: null,
          oldestAgeSeconds: null,
          deadLetterDepth: null,
          error: null,
        };
        try {
          const url = await this.directory.url(queue.name);
          Object.assign(row, await queueDepth(this.sqs, url));
          if (queue.kind === 'dlq' && (row.visible ?? 0) > 0) {
            const messages = await this.lock.run(queue.name, () => peekDeadLetters(this.sqs, url, 10));
            row.oldestAgeSeconds = oldestAgeSeconds(messages, this.now());
          }
        } catch (error) {
          row.error = errorMessage(error);
        }
        return row;
      }),
    );
    for (const row of rows) {
      if (row.kind !== 'source' || row.partner === null) continue;
      const dlq = rows.find((candidate) => candidate.name === row.partner);
      row.deadLetterDepth = dlq?.visible == null ? null : dlq.visible + (dlq.inFlight ?? 0);
    }
    return rows;
  }

  async deadLetters(): Promise<DeadLetterQueueView[]> {
    return Promise.all(
      this.directory.queues
        .filter((queue) => queue.kind === 'dlq')
        .map(async (queue) => {
          const url = await this.directory.url(queue.name);
          const counts = await queueDepth(this.sqs, url);
          const messages = await this.lock.run(queue.name, () =>
            peekDeadLetters(this.sqs, url, MAX_SHOWN_DEAD_LETTERS),
          );
          return {
            name: queue.name,
            sourceQueue: queue.partner ?? null,
            depth: counts.visible + counts.inFlight,
            messages,
          };
        }),
    );
  }

  /** `body`: `{ messageIds?: string[] }`; without ids, every message of the DLQ. */
  async redrive(queueName: string, body: unknown): Promise<RedriveResult> {
    const queue = this.directory.find(queueName);
    if (queue?.kind !== 'dlq') throw new UnknownQueueError(`"${queueName}" is not a DLQ of infra/queues.json.`);
    const ids = (body as { messageIds?: unknown } | null)?.messageIds;
    if (
      ids !== undefined &&
      (!Array.isArray(ids) ||
        ids.length === 0 ||
        ids.length > 1_000 ||
        !ids.every((id) => typeof id === 'string' && id.length > 0 && id.length <= 128))
    ) {
      throw new InvalidRequestError('messageIds: must be a non-empty list of message ids, or absent for all');
    }
    return this.lock.run(queue.name, () =>
      this.redriver.redrive({ deadLetterQueue: queue.name, ...(ids ? { messageIds: ids as string[] } : {}) }),
    );
  }

  orderTimelines(): Promise<OrderTimeline[]> {
    return this.orders.latest();
  }

  async placeDemoOrders(body: unknown): Promise<{ placed: string[] }> {
    return { placed: await this.orders.placeDemoOrders((body as { count?: unknown } | null)?.count ?? 1) };
  }

  chartSamples(): ChartSample[] {
    return this.charts.samples();
  }
}

function oldestAgeSeconds(messages: readonly DeadLetterView[], now: number): number | null {
  const sent = messages
    .map((message) => (message.sentAt ? Date.parse(message.sentAt) : Number.NaN))
    .filter(Number.isFinite);
  return sent.length === 0 ? null : Math.max(0, Math.round((now - Math.min(...sent)) / 1000));
}
