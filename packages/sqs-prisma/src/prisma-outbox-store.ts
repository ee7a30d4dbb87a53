import type { OutboxFailure, OutboxMessage, OutboxStore } from '@sqsref/sqs-transport';
import { delay, integerOption, SQS_MAX_VISIBILITY_TIMEOUT_MS, stringOption } from '@sqsref/sqs-transport/common';
import { InvalidOptionError } from './errors.js';
import { OutboxListener } from './outbox-listener.js';
import { postgresUrl } from './options.js';
import type { OutboxRow } from './outbox-writer.js';
import type { RawSqlClient } from './prisma-client.js';

export interface PrismaOutboxStoreOptions {
  /** The service's Prisma client (built with `@prisma/adapter-pg`); its schema must include the `SqsOutbox` model. */
  client: RawSqlClient;
  /**
   * A connection URL for the one extra connection that LISTENs for new rows
   * (a trigger NOTIFYs `sqs_outbox` on insert), so `waitForWork` wakes at once.
   * Use a direct connection, not a transaction-mode pooler (LISTEN needs a
   * session). Default: none; `waitForWork` then waits out its timeout.
   */
  listenUrl?: string;
  /** The longest `last_error` kept, in characters. Default 2000; from 100 to 100000. */
  maxErrorLength?: number;
  /** Rows deleted per statement by `deleteSentBefore`, to keep each short. Default 10000; from 1 to 1000000. */
  deleteBatchSize?: number;
}

interface ClaimedRow extends OutboxRow {
  attempts: number;
  created_at: Date;
  seq: bigint;
}

/**
 * The outbox on PostgreSQL through Prisma: the `sqs_outbox` table of the
 * `SqsOutbox` model. Producers write rows with `addToOutbox` in their business
 * transaction; relays claim, send and mark them here.
 *
 * A claim is one statement (one short transaction) with `FOR UPDATE SKIP
 * LOCKED`, so relays side by side never take the same row and never wait on
 * each other. Per (queue, group) a claim takes an unbroken run of consecutive
 * rows starting at the group's oldest unsent row (up to `maxPerGroup`), and
 * only when that row is pending, due and not under a live claim: a group whose
 * head is claimed, waiting for a retry or parked sends nothing (order over
 * progress), and a run never skips a row another relay is claiming. Rows
 * without a group are independent. All times come from the database clock.
 */
export class PrismaOutboxStore implements OutboxStore {
  private readonly client: RawSqlClient;
  private readonly maxErrorLength: number;
  private readonly deleteBatchSize: number;
  private readonly listener: OutboxListener | null;

  constructor(options: PrismaOutboxStoreOptions) {
    if (typeof options?.client?.$queryRaw !== 'function' || typeof options.client.$executeRaw !== 'function') {
      throw new InvalidOptionError(
        'client',
        'must be a Prisma client (with $executeRaw and $queryRaw)',
        typeof options?.client,
      );
    }
    this.client = options.client;
    this.maxErrorLength = integerOption('maxErrorLength', options.maxErrorLength, 2_000, 100, 100_000);
    this.deleteBatchSize = integerOption('deleteBatchSize', options.deleteBatchSize, 10_000, 1, 1_000_000);
    this.listener =
      options.listenUrl === undefined ? null : new OutboxListener(postgresUrl('listenUrl', options.listenUrl));
  }

  async claim(owner: string, limit: number, leaseMs: number, maxPerGroup = 1): Promise<OutboxMessage[]> {
    stringOption('owner', owner);
    const max = integerOption('limit', limit, 0, 1, 10_000);
    // Claims are capped at SQS's 12-hour visibility limit.
    const ms = integerOption('leaseMs', leaseMs, 0, 1, SQS_MAX_VISIBILITY_TIMEOUT_MS);
    const run = integerOption('maxPerGroup', maxPerGroup, 1, 1, 10_000);
    // heads: per (queue, group) the oldest unsent row (one hashed pass over the unsent rows), when it is sendable;
    // rows without a group are heads.
    // scan: the oldest pending rows of those groups (a head is its group's oldest unsent row, so all of them are at or
    // after it), read in seq order until `limit` rows.
    // runs: the heads, and from each head the group's consecutive sendable rows among them (none due later, none
    // under a live claim, none behind a parked row), up to maxPerGroup.
    // locked: the oldest of them, locked FOR UPDATE SKIP LOCKED, which rechecks each row's state as committed now.
    // kept: per group only the rows before the first one that could not be locked (another relay's claim in flight),
    // so what is claimed is always an unbroken run from the group's oldest unsent row.
    const rows = await this.client.$queryRaw<ClaimedRow[]>`
      WITH heads AS (
        (SELECT f.id, f.queue, f.group_id, f.seq
        FROM (
          SELECT min(o.seq) AS seq
          FROM sqs_outbox o
          WHERE o.status IN ('pending', 'parked') AND o.group_id IS NOT NULL
          GROUP BY o.queue, o.group_id
        ) oldest
        JOIN sqs_outbox f ON f.status IN ('pending', 'parked') AND f.seq = oldest.seq
        WHERE f.status = 'pending'
          AND f.next_attempt_at <= now()
          AND (f.claimed_until IS NULL OR f.claimed_until <= now())
        ORDER BY f.seq
        LIMIT ${max})
        UNION ALL
        (SELECT o.id, o.queue, o.group_id, o.seq
        FROM sqs_outbox o
        WHERE o.status = 'pending'
          AND o.group_id IS NULL
          AND o.next_attempt_at <= now()
          AND (o.claimed_until IS NULL OR o.claimed_until <= now())
        ORDER BY o.seq
        LIMIT ${max})
      ),
      scan AS (
        SELECT e.id, e.queue, e.group_id, e.seq, e.next_attempt_at, e.claimed_until
        FROM sqs_outbox e
        WHERE e.status = 'pending'
          AND (e.queue, e.group_id) IN (SELECT queue, group_id FROM heads WHERE group_id IS NOT NULL AND ${run} > 1)
        ORDER BY e.seq
        LIMIT ${max}
      ),
      runs AS (
        SELECT id, queue, group_id, seq FROM heads
        UNION
        SELECT r.id, r.queue, r.group_id, r.seq
        FROM (
          SELECT s.id, s.queue, s.group_id, s.seq,
            row_number() OVER w AS position,
            bool_and(
              s.next_attempt_at <= now()
              AND (s.claimed_until IS NULL OR s.claimed_until <= now())
              AND NOT EXISTS (
                SELECT 1 FROM sqs_outbox p
                WHERE p.queue = s.queue AND p.group_id = s.group_id AND p.status = 'parked' AND p.seq < s.seq)
            ) OVER w AS in_run
          FROM scan s
          WINDOW w AS (PARTITION BY s.queue, s.group_id ORDER BY s.seq)
        ) r
        WHERE r.in_run AND r.position <= ${run}
      ),
      candidates AS (
        SELECT id, queue, group_id, seq FROM runs ORDER BY seq LIMIT ${max}
      ),
      locked AS (
        SELECT o.id, o.queue, o.group_id, o.seq
        FROM sqs_outbox o
        WHERE o.id IN (SELECT id FROM candidates)
          AND o.status = 'pending'
          AND o.next_attempt_at <= now()
          AND (o.claimed_until IS NULL OR o.claimed_until <= now())
        FOR UPDATE OF o SKIP LOCKED
      ),
      kept AS (
        SELECT k.id FROM (
          SELECT c.id, l.id IS NOT NULL AS got,
            bool_and(l.id IS NOT NULL) OVER (PARTITION BY c.queue, COALESCE(c.group_id, c.id) ORDER BY c.seq) AS unbroken
          FROM candidates c LEFT JOIN locked l ON l.id = c.id
        ) k
        WHERE k.got AND k.unbroken
      )
      UPDATE sqs_outbox AS t
      SET claimed_by = ${owner}, claimed_until = now() + ${ms}::float8 * interval '1 millisecond'
      FROM kept k
      WHERE t.id = k.id
      RETURNING t.id, t.queue, t.group_id, t.deduplication_id, t.body, t.attributes, t.attempts, t.created_at, t.seq`;
    // UPDATE ... RETURNING has no order of its own.
    return rows
      .sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0))
      .map((row) => ({
        id: row.id,
        queue: row.queue,
        groupId: row.group_id,
        deduplicationId: row.deduplication_id,
        body: row.body,
        attributes: row.attributes,
        attempts: row.attempts,
        createdAt: row.created_at,
      }));
  }

  async release(owner: string, ids: readonly string[]): Promise<void> {
    stringOption('owner', owner);
    if (ids.length === 0) return;
    await this.client.$executeRaw`
      UPDATE sqs_outbox
      SET claimed_by = NULL, claimed_until = NULL
      WHERE id = ANY(${[...ids]}::text[]) AND claimed_by = ${owner} AND status = 'pending'`;
  }

  async markSent(owner: string, ids: readonly string[]): Promise<void> {
    stringOption('owner', owner);
    if (ids.length === 0) return;
    await this.client.$executeRaw`
      UPDATE sqs_outbox
      SET status = 'sent', sent_at = now(), claimed_by = NULL, claimed_until = NULL
      WHERE id = ANY(${[...ids]}::text[]) AND claimed_by = ${owner} AND status = 'pending'`;
  }

  async markFailed(owner: string, failures: readonly OutboxFailure[]): Promise<void> {
    stringOption('owner', owner);
    if (failures.length === 0) return;
    const input = failures.map((failure, index) => {
      if (typeof failure?.id !== 'string' || failure.id.length === 0)
        throw new InvalidOptionError(`failures[${index}].id`, 'must be a non-empty string', failure?.id);
      const retryAt = failure.retryAt;
      if (retryAt !== null && (!(retryAt instanceof Date) || Number.isNaN(retryAt.getTime()))) {
        throw new InvalidOptionError(
          `failures[${index}].retryAt`,
          'must be a valid Date, or null to park the row',
          retryAt,
        );
      }
      return {
        id: failure.id,
        error: String(failure.error ?? '').slice(0, this.maxErrorLength),
        retry_at: retryAt?.toISOString() ?? null,
      };
    });
    await this.client.$executeRaw`
      UPDATE sqs_outbox AS t
      SET attempts = t.attempts + 1,
          last_error = f.error,
          status = CASE WHEN f.retry_at IS NULL THEN 'parked' ELSE 'pending' END,
          next_attempt_at = COALESCE(f.retry_at, t.next_attempt_at),
          claimed_by = NULL,
          claimed_until = NULL
      FROM jsonb_to_recordset(${JSON.stringify(input)}::jsonb) AS f(id text, error text, retry_at timestamptz)
      WHERE t.id = f.id AND t.claimed_by = ${owner} AND t.status = 'pending'`;
  }

  async deleteSentBefore(cutoff: Date): Promise<number> {
    if (!(cutoff instanceof Date) || Number.isNaN(cutoff.getTime())) {
      throw new InvalidOptionError('cutoff', 'must be a valid Date', cutoff);
    }
    let total = 0;
    for (;;) {
      const deleted = await this.client.$executeRaw`
        DELETE FROM sqs_outbox WHERE id IN (
          SELECT id FROM sqs_outbox WHERE status = 'sent' AND sent_at < ${cutoff} LIMIT ${this.deleteBatchSize})`;
      total += deleted;
      if (deleted < this.deleteBatchSize) return total;
    }
  }

  /**
   * The rows waiting to be sent (`pending`: not sent, not parked) and when the oldest was written; for the
   * `sqs_outbox_backlog_rows` and `sqs_outbox_oldest_pending_age_seconds` gauges, read at scrape time.
   */
  async backlog(): Promise<{ rows: number; oldestCreatedAt: Date | null }> {
    const [row] = await this.client.$queryRaw<Array<{ rows: bigint | number; oldest: Date | null }>>`
      SELECT count(*) AS rows, min(created_at) AS oldest FROM sqs_outbox WHERE status = 'pending'`;
    return { rows: Number(row?.rows ?? 0), oldestCreatedAt: row?.oldest ?? null };
  }

  /**
   * Resolves when rows were committed since the last call (LISTEN/NOTIFY on
   * `listenUrl`), after `timeoutMs`, or when `signal` aborts; never rejects.
   * Without `listenUrl`, or while the listening connection is down, it waits
   * out the timeout, so the relay falls back to polling.
   */
  async waitForWork(timeoutMs: number, signal: AbortSignal): Promise<void> {
    const ms = integerOption('timeoutMs', timeoutMs, 0, 0, 3_600_000);
    if (this.listener) return this.listener.wait(ms, signal);
    return delay(ms, signal);
  }

  /** Closes the listening connection, if any. Idempotent; pending waits resolve. */
  async close(): Promise<void> {
    await this.listener?.close();
  }
}
