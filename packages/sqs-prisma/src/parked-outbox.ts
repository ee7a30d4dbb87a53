import { integerOption } from '@sqsref/sqs-transport/common';
import { OUTBOX_CHANNEL } from './outbox-listener.js';

/**
 * Parked outbox rows, for operators: a row the relay gave up on (`status = 'parked'`, after its send kept failing)
 * blocks the rest of its (queue, group) until it is re-queued. Re-queueing makes it pending again with a fresh retry
 * budget; the relay then sends it and, behind it, the rest of its group in order.
 */

/** The one method of `pg`'s Client and Pool this module uses. */
export interface SqlQueryable {
  query<T extends object>(sql: string, values?: unknown[]): Promise<{ rows: T[] }>;
}

/** A parked row as operators see it. */
export interface ParkedOutboxRow {
  id: string;
  queue: string;
  groupId: string | null;
  /** The `type` message attribute. */
  type: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
}

/** The parked rows, oldest first; at most `limit` (1 to 10,000, default 100). */
export async function listParkedOutboxRows(
  db: SqlQueryable,
  options: { limit?: number } = {},
): Promise<ParkedOutboxRow[]> {
  const limit = integerOption('limit', options.limit, 100, 1, 10_000);
  const { rows } = await db.query<{
    id: string;
    queue: string;
    group_id: string | null;
    type: string | null;
    attempts: number;
    last_error: string | null;
    created_at: Date;
  }>(
    `SELECT id, queue, group_id, attributes->>'type' AS type, attempts, last_error, created_at
       FROM sqs_outbox WHERE status = 'parked' ORDER BY seq LIMIT $1`,
    [limit],
  );
  return rows.map((row) => ({
    id: row.id,
    queue: row.queue,
    groupId: row.group_id,
    type: row.type,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
  }));
}

/**
 * Makes parked rows pending again, due now, with their attempt count reset (the last error is kept), and wakes the
 * relays. `ids`: only these rows; default every parked row. Returns the ids re-queued (a row that is not parked is
 * left alone).
 */
export async function requeueParkedOutboxRows(
  db: SqlQueryable,
  options: { ids?: readonly string[] } = {},
): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE sqs_outbox
        SET status = 'pending', attempts = 0, next_attempt_at = now(), claimed_by = NULL, claimed_until = NULL
      WHERE status = 'parked' AND ($1::text[] IS NULL OR id = ANY($1::text[]))
      RETURNING id`,
    [options.ids === undefined ? null : [...options.ids]],
  );
  if (rows.length > 0) await db.query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, 'requeued']);
  return rows.map((row) => row.id);
}
