import type { CommitGuard, InboxKey, InboxStore, InboxTransactionResult, LeaseClaim } from '@sqsref/sqs-transport';
import { integerOption, SQS_MAX_VISIBILITY_TIMEOUT_MS, stringOption } from '@sqsref/sqs-transport/common';
import { InvalidOptionError } from './errors.js';
import type { RawSqlClient, TransactionalPrismaClient } from './prisma-client.js';

export interface PrismaInboxStoreOptions<TTx extends RawSqlClient> {
  /** The service's Prisma client (built with `@prisma/adapter-pg`); its schema must include the `SqsInbox` model. */
  client: TransactionalPrismaClient<TTx>;
  /**
   * How long one inbox transaction (the insert, the handler's work, the commit)
   * may run before Prisma rolls it back, in ms. Default 60000 (Prisma's own
   * default, 5 s, is short for handlers); from 1000 to 43200000 (12 h, SQS's
   * visibility limit). Keep it at least the handler's maximum processing time.
   */
  transactionTimeoutMs?: number;
  /** How long to wait for a pooled connection to start the transaction, in ms. Default 10000; from 100 to 600000. */
  maxWaitMs?: number;
  /** Rows deleted per statement by `deleteProcessedBefore`, to keep each short. Default 10000; from 1 to 1000000. */
  deleteBatchSize?: number;
}

/**
 * The inbox on PostgreSQL through Prisma: the `sqs_inbox` table of the
 * `SqsInbox` model, keyed by (consumer, event_id).
 *
 * Transaction mode inserts the key first, with `ON CONFLICT DO NOTHING`, so
 * the primary key serialises racing deliveries of one event: the second
 * waits for the first transaction, then sees the row ('duplicate'), or
 * proceeds when the first rolled back. Only then does the handler's work run,
 * in the same transaction, so the work and the inbox row commit or roll back
 * together. Lease mode (for work whose effects leave the database) keeps a
 * row with an owner and an expiry; all its times come from the database
 * clock, so consumers on different hosts agree.
 */
export class PrismaInboxStore<TTx extends RawSqlClient = RawSqlClient> implements InboxStore<TTx> {
  private readonly client: TransactionalPrismaClient<TTx>;
  private readonly transactionTimeoutMs: number;
  private readonly maxWaitMs: number;
  private readonly deleteBatchSize: number;

  constructor(options: PrismaInboxStoreOptions<TTx>) {
    if (typeof options?.client?.$transaction !== 'function' || typeof options.client.$executeRaw !== 'function') {
      throw new InvalidOptionError(
        'client',
        'must be a Prisma client (with $transaction, $executeRaw and $queryRaw)',
        typeof options?.client,
      );
    }
    this.client = options.client;
    this.transactionTimeoutMs = integerOption(
      'transactionTimeoutMs',
      options.transactionTimeoutMs,
      60_000,
      1_000,
      SQS_MAX_VISIBILITY_TIMEOUT_MS,
    );
    this.maxWaitMs = integerOption('maxWaitMs', options.maxWaitMs, 10_000, 100, 600_000);
    this.deleteBatchSize = integerOption('deleteBatchSize', options.deleteBatchSize, 10_000, 1, 1_000_000);
  }

  async runInTransaction<T>(
    key: InboxKey,
    work: (tx: TTx) => Promise<T>,
    guard: CommitGuard,
  ): Promise<InboxTransactionResult<T>> {
    const { consumer, eventId } = checkKey(key);
    return this.client.$transaction(
      async (tx): Promise<InboxTransactionResult<T>> => {
        const inserted = await tx.$executeRaw`
          INSERT INTO sqs_inbox (consumer, event_id, status, processed_at)
          VALUES (${consumer}, ${eventId}, 'processed', now())
          ON CONFLICT (consumer, event_id) DO NOTHING`;
        if (inserted === 0) return { status: 'duplicate' };
        const result = await work(tx);
        guard.assertCanCommit();
        return { status: 'processed', result };
      },
      { timeout: this.transactionTimeoutMs, maxWait: this.maxWaitMs },
    );
  }

  async acquireLease(key: InboxKey, owner: string, leaseMs: number): Promise<LeaseClaim> {
    const { consumer, eventId } = checkKey(key);
    stringOption('owner', owner);
    const ms = integerOption('leaseMs', leaseMs, 0, 1, SQS_MAX_VISIBILITY_TIMEOUT_MS);
    // One statement: take a free key, or an expired lease (or our own), and report what blocked us otherwise.
    const rows = await this.client.$queryRaw<{ acquired: boolean; status: string | null }[]>`
      WITH taken AS (
        INSERT INTO sqs_inbox AS i (consumer, event_id, status, lease_owner, lease_expires_at)
        VALUES (${consumer}, ${eventId}, 'leased', ${owner}, now() + ${ms}::float8 * interval '1 millisecond')
        ON CONFLICT (consumer, event_id) DO UPDATE
          SET lease_owner = EXCLUDED.lease_owner, lease_expires_at = EXCLUDED.lease_expires_at
          WHERE i.status = 'leased' AND (i.lease_expires_at <= now() OR i.lease_owner = EXCLUDED.lease_owner)
        RETURNING 1
      )
      SELECT EXISTS (SELECT 1 FROM taken) AS acquired,
             (SELECT status FROM sqs_inbox WHERE consumer = ${consumer} AND event_id = ${eventId}) AS status`;
    const row = rows[0];
    if (row?.acquired) return 'acquired';
    // The SELECT sees the row as of the statement's start; a row that was absent then was inserted concurrently.
    if (row?.status === 'processed') return 'completed';
    return 'busy';
  }

  async renewLease(key: InboxKey, owner: string, leaseMs: number): Promise<boolean> {
    const { consumer, eventId } = checkKey(key);
    stringOption('owner', owner);
    const ms = integerOption('leaseMs', leaseMs, 0, 1, SQS_MAX_VISIBILITY_TIMEOUT_MS);
    const updated = await this.client.$executeRaw`
      UPDATE sqs_inbox SET lease_expires_at = now() + ${ms}::float8 * interval '1 millisecond'
      WHERE consumer = ${consumer} AND event_id = ${eventId} AND status = 'leased' AND lease_owner = ${owner}`;
    return updated > 0;
  }

  /**
   * Records the event as processed. It does so even when `owner` lost the
   * lease meanwhile: the work has been done, and recording that keeps later
   * deliveries from doing it again.
   */
  async completeLease(key: InboxKey, owner: string): Promise<void> {
    const { consumer, eventId } = checkKey(key);
    stringOption('owner', owner);
    await this.client.$executeRaw`
      INSERT INTO sqs_inbox AS i (consumer, event_id, status, processed_at)
      VALUES (${consumer}, ${eventId}, 'processed', now())
      ON CONFLICT (consumer, event_id) DO UPDATE
        SET status = 'processed', processed_at = now(), lease_owner = NULL, lease_expires_at = NULL
        WHERE i.status = 'leased'`;
  }

  async releaseLease(key: InboxKey, owner: string): Promise<void> {
    const { consumer, eventId } = checkKey(key);
    stringOption('owner', owner);
    await this.client.$executeRaw`
      DELETE FROM sqs_inbox
      WHERE consumer = ${consumer} AND event_id = ${eventId} AND status = 'leased' AND lease_owner = ${owner}`;
  }

  async deleteProcessedBefore(cutoff: Date): Promise<number> {
    if (!(cutoff instanceof Date) || Number.isNaN(cutoff.getTime())) {
      throw new InvalidOptionError('cutoff', 'must be a valid Date', cutoff);
    }
    let total = 0;
    for (;;) {
      const deleted = await this.client.$executeRaw`
        DELETE FROM sqs_inbox WHERE (consumer, event_id) IN (
          SELECT consumer, event_id FROM sqs_inbox
          WHERE status = 'processed' AND processed_at < ${cutoff} LIMIT ${this.deleteBatchSize})`;
      total += deleted;
      if (deleted < this.deleteBatchSize) return total;
    }
  }
}

function checkKey(key: InboxKey): InboxKey {
  stringOption('key.consumer', key?.consumer);
  stringOption('key.eventId', key?.eventId);
  return key;
}
