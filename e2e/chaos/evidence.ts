import type { Message } from '@aws-sdk/client-sqs';
import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DEAD_LETTER_ATTRIBUTES } from '@sqsref/sqs-transport';
import { waitFor } from '@sqsref/sqs-transport/testing';
import type { AuditInput } from './audit.js';
import type { TimedFault } from './receive-history.js';
import { receivesFromLogs } from './receive-history.js';
import { jsonClient, transportStats } from '@sqsref/service-kit/testing';
import type { ChaosSystem, DatabaseName } from './chaos-system.js';
import { CHAOS_SERVICE_ENV } from './chaos-system.js';

/** The queues each service consumes from the other: only these events belong in an order's history. */
const CROSS_SERVICE_QUEUES: Record<DatabaseName, string> = {
  orders: 'order-events.fifo',
  shipping: 'shipment-events.fifo',
};
const DEAD_LETTER_QUEUES = ['order-events-dlq.fifo', 'shipment-events-dlq.fifo', 'shipping-labels-dlq.fifo'];

/**
 * Waits until the system is at rest: `orders` orders stored and all final, no outbox row unsent, and the poison
 * messages in the DLQ (counted from the queue's attributes). False when `timeoutMs` passes first: the audit says why.
 */
export async function waitUntilSettled(
  system: ChaosSystem,
  orders: number,
  poison: number,
  timeoutMs: number,
): Promise<boolean> {
  try {
    await waitFor(
      async () => {
        const [state] = await system.sql<{ total: number; open: number }>(
          'orders',
          `SELECT count(*)::int AS total, count(*) FILTER (WHERE status NOT IN ('SHIPPED', 'CANCELLED'))::int AS open FROM orders`,
        );
        if ((state?.total ?? 0) < orders || (state?.open ?? 1) > 0) return false;
        for (const database of ['orders', 'shipping'] as const) {
          const [unsent] = await system.sql<{ n: number }>(
            database,
            `SELECT count(*)::int AS n FROM sqs_outbox WHERE status <> 'sent'`,
          );
          if ((unsent?.n ?? 0) > 0) return false;
        }
        return (await deadLetterCount(system)) >= poison;
      },
      { timeoutMs, intervalMs: 1_000, description: 'the system at rest' },
    );
    return true;
  } catch {
    return false;
  }
}

async function deadLetterCount(system: ChaosSystem): Promise<number> {
  let total = 0;
  for (const name of DEAD_LETTER_QUEUES) {
    const { Attributes = {} } = await system.infrastructure.sqs.client.send(
      new GetQueueAttributesCommand({
        QueueUrl: system.queueUrl(name),
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    total += Number(Attributes.ApproximateNumberOfMessages ?? 0);
  }
  return total;
}

/** Reads everything the audit checks from both databases and every DLQ. */
export async function gatherAuditInput(
  system: ChaosSystem,
  accepted: ReadonlySet<string>,
  injectedDeadLetters: ReadonlySet<string>,
  faults: readonly TimedFault[],
): Promise<AuditInput> {
  const orders = await system.sql<{ id: string; status: string }>(
    'orders',
    'SELECT id::text, status::text FROM orders',
  );
  const history = await system.sql<{ orderId: string; eventId: string; type: string }>(
    'orders',
    'SELECT order_id::text AS "orderId", event_id AS "eventId", type FROM order_history ORDER BY seq',
  );
  const emitted: Array<AuditInput['emitted'][number]> = [];
  for (const database of ['orders', 'shipping'] as const) {
    const rows = await system.sql<{ groupId: string; eventId: string; type: string }>(
      database,
      `SELECT group_id AS "groupId", id AS "eventId", attributes->>'type' AS type FROM sqs_outbox WHERE queue = $1 ORDER BY seq`,
      [CROSS_SERVICE_QUEUES[database]],
    );
    emitted.push(...rows.map((row) => ({ ...row, source: database })));
  }
  const shipments = await system.sql<{ id: string; orderId: string; status: string; trackingNumber: string | null }>(
    'shipping',
    'SELECT id::text, order_id::text AS "orderId", status::text, tracking_number AS "trackingNumber" FROM shipments',
  );
  const labels = await system.sql<{ key: string; trackingNumber: string }>(
    'shipping',
    'SELECT idempotency_key AS key, tracking_number AS "trackingNumber" FROM carrier_labels',
  );
  const unsentOutbox: Array<AuditInput['unsentOutbox'][number]> = [];
  for (const database of ['orders', 'shipping'] as const) {
    const rows = await system.sql<{ status: string; rows: number }>(
      database,
      `SELECT status, count(*)::int AS rows FROM sqs_outbox WHERE status <> 'sent' GROUP BY status`,
    );
    unsentOutbox.push(...rows.map((row) => ({ database, ...row })));
  }
  return {
    accepted,
    orders,
    history,
    emitted,
    shipments,
    labels,
    unsentOutbox,
    deadLetters: await readDeadLetters(system),
    injectedDeadLetters,
    receives: receivesFromLogs(system.logsByProcess()),
    faults,
  };
}

/** Every message of every DLQ (received and kept invisible, so each is read once). */
async function readDeadLetters(system: ChaosSystem): Promise<AuditInput['deadLetters']> {
  const letters: Array<AuditInput['deadLetters'][number]> = [];
  for (const queue of DEAD_LETTER_QUEUES) {
    const maxReceiveCount = await sourceMaxReceiveCount(system, queue);
    for (;;) {
      const { Messages = [] } = await system.infrastructure.sqs.client.send(
        new ReceiveMessageCommand({
          QueueUrl: system.queueUrl(queue),
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 600,
          WaitTimeSeconds: 0,
          MessageAttributeNames: ['All'],
        }),
      );
      if (Messages.length === 0) break;
      letters.push(
        ...Messages.map((message) => ({
          queue,
          messageId: message.MessageId ?? '',
          maxReceiveCount,
          eventId: envelopeId(message),
          code: message.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.errorCode]?.StringValue,
        })),
      );
    }
  }
  return letters;
}

/** The `maxReceiveCount` of the redrive policy that feeds `deadLetterQueue` (`x-dlq.fifo` is fed by `x.fifo`). */
async function sourceMaxReceiveCount(system: ChaosSystem, deadLetterQueue: string): Promise<number> {
  const { Attributes = {} } = await system.infrastructure.sqs.client.send(
    new GetQueueAttributesCommand({
      QueueUrl: system.queueUrl(deadLetterQueue.replace('-dlq', '')),
      AttributeNames: ['RedrivePolicy'],
    }),
  );
  const policy = JSON.parse(Attributes.RedrivePolicy ?? '{}') as { maxReceiveCount?: unknown };
  const count = Number(policy.maxReceiveCount);
  if (!Number.isInteger(count) || count < 1) throw new Error(`no redrive policy feeds ${deadLetterQueue}`);
  return count;
}

function envelopeId(message: Message): string | undefined {
  try {
    const body = JSON.parse(message.Body ?? '') as { id?: unknown };
    return typeof body.id === 'string' ? body.id : undefined;
  } catch {
    return undefined;
  }
}

/** What the faults inside the services did, for the run's report (not audited: the audit checks the outcome). */
export interface FaultEvidence {
  /** Handler runs failed on purpose (`FAULT_HANDLER_FAILURE_RATE`), counted from every process's log. */
  injectedHandlerFailures: number;
  labels: { slow: number; interrupted: number; carrierFailures: number; rerun: number };
  /** From `GET /stats` of the processes alive at the end (counts restart at each start). */
  duplicates: number;
  retried: number;
}

export async function faultEvidence(system: ChaosSystem): Promise<FaultEvidence> {
  const injectedHandlerFailures = system
    .all()
    .reduce((sum, service) => sum + service.logged('fault injected: handler failed on purpose').length, 0);
  const visibilityMs = Number(CHAOS_SERVICE_ENV.SQS_VISIBILITY_TIMEOUT_SECONDS) * 1_000;
  const [labels] = await system.sql<FaultEvidence['labels']>(
    'shipping',
    `SELECT count(*) FILTER (WHERE finished_at - started_at > $1 * interval '1 millisecond')::int AS slow,
            count(*) FILTER (WHERE outcome IS NULL)::int AS interrupted,
            count(*) FILTER (WHERE outcome = 'failed')::int AS "carrierFailures",
            count(*) FILTER (WHERE receive_count > 1)::int AS rerun
     FROM label_attempts`,
    [visibilityMs],
  );
  const stats = await Promise.all(system.all().map((service) => transportStats(jsonClient(service.url))));
  return {
    injectedHandlerFailures,
    labels: labels ?? { slow: 0, interrupted: 0, carrierFailures: 0, rerun: 0 },
    duplicates: stats.reduce((sum, counts) => sum + counts.duplicates, 0),
    retried: stats.reduce((sum, counts) => sum + counts.retried, 0),
  };
}
