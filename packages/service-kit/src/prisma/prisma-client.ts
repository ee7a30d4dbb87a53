import { PrismaPg } from '@prisma/adapter-pg';
import type { RawSqlClient, TransactionalPrismaClient } from '@sqsref/sqs-prisma';
import { createBoundedPgPool } from '@sqsref/sqs-prisma';
import { databaseTimeouts } from './database-timeouts.js';

/** What the kit needs of a service's generated Prisma client. */
export interface ServicePrismaClient extends TransactionalPrismaClient<RawSqlClient> {
  $disconnect(): Promise<void>;
}

export interface PrismaClientOptions {
  /** The database URL (`DATABASE_URL`). */
  url: string;
  /** Connections in the pool (`DATABASE_POOL_SIZE`). */
  poolSize: number;
  /** Tags the sessions in `pg_stat_activity`, e.g. `order-service`. */
  applicationName: string;
  /**
   * The bound every database wait is derived from, in ms (`DEPENDENCY_TIMEOUT_MS`, default 5000): see
   * {@link databaseTimeouts}.
   */
  timeoutMs: number;
}

/**
 * A service's own generated `PrismaClient` on PostgreSQL through `@prisma/adapter-pg` (Prisma 7 has no built-in
 * driver). Pass the generated class: `createPrismaClient(PrismaClient, { url, poolSize, applicationName, timeoutMs })`.
 *
 * No wait on the database is unbounded (see {@link databaseTimeouts}): a stalled or unreachable database turns into an
 * error that `isDatabaseUnavailable` recognises within `timeoutMs`, and a query left without an answer closes its
 * connection, so an abandoned transaction can never be committed later (see `createBoundedPgPool`).
 */
export function createPrismaClient<T>(
  Client: new (options: { adapter: PrismaPg; transactionOptions: { maxWait: number; timeout: number } }) => T,
  options: PrismaClientOptions,
): T {
  const timeouts = databaseTimeouts(options.timeoutMs);
  const pool = createBoundedPgPool({
    connectionString: options.url,
    max: options.poolSize,
    applicationName: options.applicationName,
    connectTimeoutMs: timeouts.connectMs,
    statementTimeoutMs: timeouts.statementMs,
    queryTimeoutMs: timeouts.queryMs,
  });
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  // Inbox transactions set their own timeout (INBOX_TRANSACTION_TIMEOUT_MS); requests get the bound.
  return new Client({ adapter, transactionOptions: { maxWait: timeouts.connectMs, timeout: timeouts.transactionMs } });
}

/**
 * Whether `error` is Prisma's unique-constraint violation (P2002), optionally on a given column or constraint
 * (matched against the names Prisma reports, e.g. `idempotency_key` or `orders_idempotency_key_key`).
 */
export function isUniqueViolation(error: unknown, target?: string): boolean {
  const candidate = error as { code?: unknown; meta?: unknown } | null;
  if (candidate?.code !== 'P2002') return false;
  if (target === undefined) return true;
  return JSON.stringify(candidate.meta ?? {}).includes(target);
}
