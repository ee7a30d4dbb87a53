import type { Envelope } from '@sqsref/sqs-transport';
import { activeTraceAttributes, SQS_MAX_ID_LENGTH, SQS_MAX_MESSAGE_ATTRIBUTES } from '@sqsref/sqs-transport/common';
import { InvalidOutboxEntryError } from './errors.js';
import type { RawSqlClient } from './prisma-client.js';

/** One event to send, as a producer hands it to the outbox. */
export interface OutboxEntry {
  /** Logical queue name, e.g. `order-events.fifo`; the relay resolves it to a URL. */
  queue: string;
  /** FIFO message group, e.g. the order id. Required on FIFO (`.fifo`) queues. Default null. */
  groupId?: string | null;
  /** The envelope from `createEnvelope()`; sent as the JSON body. */
  envelope: Envelope;
  /** FIFO deduplication id. Default: the envelope id on FIFO queues, none on standard queues (SQS rejects it there). */
  deduplicationId?: string | null;
  /**
   * Extra string message attributes. `type` is always the envelope's type. Default none. The active span's trace
   * context is added as `traceparent` (and `tracestate`) unless given here, so the relay's send continues the trace
   * of the transaction that wrote the row.
   */
  attributes?: Record<string, string>;
}

/** The columns of an outbox row that make its SQS message. */
export interface OutboxRow {
  id: string;
  queue: string;
  group_id: string | null;
  deduplication_id: string | null;
  body: string;
  attributes: Record<string, string>;
}

/**
 * Writes one event to the outbox. Call it with the transaction client of the
 * business transaction (`prisma.$transaction(async (tx) => { ...;
 * await addToOutbox(tx, ...) })`): the event then exists exactly when the
 * business change does. A relay sends it later.
 *
 * Rows of one (queue, group) are written under a transaction-scoped advisory
 * lock on that group, so their order (`seq`) is also their commit order: a
 * relay can never see a later event of a group before an earlier one commits.
 * Throws {@link InvalidOutboxEntryError} (nothing written) for entries SQS
 * would refuse; a duplicate event id fails on the primary key (Prisma P2010/23505).
 */
export async function addToOutbox(tx: RawSqlClient, entry: OutboxEntry): Promise<void> {
  await addManyToOutbox(tx, [entry]);
}

/** Writes several events in one statement, in the given order (see {@link addToOutbox}). */
export async function addManyToOutbox(tx: RawSqlClient, entries: readonly OutboxEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((entry, index) => toRow(entry, entries.length > 1 ? `entries[${index}]` : 'entry'));
  // Lock each group once, in a fixed order (no deadlocks between writers), before any row gets its seq.
  await tx.$executeRaw`
    WITH input AS (
      SELECT r.*
      FROM jsonb_to_recordset(${JSON.stringify(rows.map((row, ord) => ({ ...row, ord })))}::jsonb)
        AS r(ord int, id text, queue text, group_id text, deduplication_id text, body text, attributes jsonb)
    ),
    locks AS (
      SELECT count(pg_advisory_xact_lock(${GROUP_LOCK_CLASS}::int4, key)) AS n
      FROM (SELECT DISTINCT hashtext(queue || '/' || group_id) AS key FROM input WHERE group_id IS NOT NULL ORDER BY 1) AS k
    )
    INSERT INTO sqs_outbox (id, queue, group_id, deduplication_id, body, attributes)
    SELECT id, queue, group_id, deduplication_id, body, attributes
    FROM input, locks
    ORDER BY ord`;
}

/** Advisory-lock class (first key) for outbox groups; the second key is the group's hash. */
export const GROUP_LOCK_CLASS = 0x5351_4f42; // "SQOB"

function toRow(entry: OutboxEntry, label: string): OutboxRow {
  const problems: string[] = [];
  const queue = entry?.queue;
  if (typeof queue !== 'string' || queue.length === 0) problems.push(`${label}.queue must be a non-empty string`);
  const fifo = typeof queue === 'string' && queue.endsWith('.fifo');
  const groupId = entry?.groupId ?? null;
  if (groupId !== null && (typeof groupId !== 'string' || groupId.length === 0 || groupId.length > SQS_MAX_ID_LENGTH)) {
    problems.push(`${label}.groupId must be a string of 1 to ${SQS_MAX_ID_LENGTH} characters`);
  }
  if (fifo && groupId === null) problems.push(`${label}.groupId is required for the FIFO queue "${queue}"`);
  const envelope = entry?.envelope;
  if (typeof envelope?.id !== 'string' || envelope.id.length === 0)
    problems.push(`${label}.envelope.id must be a non-empty string`);
  if (typeof envelope?.type !== 'string' || envelope.type.length === 0)
    problems.push(`${label}.envelope.type must be a non-empty string`);
  const deduplicationId = entry?.deduplicationId ?? (fifo ? (envelope?.id ?? null) : null);
  if (
    deduplicationId !== null &&
    (typeof deduplicationId !== 'string' || deduplicationId.length === 0 || deduplicationId.length > SQS_MAX_ID_LENGTH)
  ) {
    problems.push(`${label}.deduplicationId must be a string of 1 to ${SQS_MAX_ID_LENGTH} characters`);
  }
  if (deduplicationId !== null && !fifo) problems.push(`${label}.deduplicationId is only allowed on FIFO queues`);
  const attributes: Record<string, string> = {
    ...activeTraceAttributes(),
    ...(entry?.attributes ?? {}),
    type: envelope?.type,
  };
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value !== 'string') problems.push(`${label}.attributes.${name} must be a string`);
  }
  if (Object.keys(attributes).length > SQS_MAX_MESSAGE_ATTRIBUTES)
    problems.push(`${label} has more than ${SQS_MAX_MESSAGE_ATTRIBUTES} message attributes (SQS's limit)`);
  if (problems.length > 0) throw new InvalidOutboxEntryError(problems);
  return {
    id: envelope.id,
    queue,
    group_id: groupId,
    deduplication_id: deduplicationId,
    body: JSON.stringify(envelope),
    attributes,
  };
}
