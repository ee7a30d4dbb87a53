import { PrismaPg } from '@prisma/adapter-pg';
import type { RawSqlClient, TransactionalPrismaClient } from '@sqsref/sqs-prisma';

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
}

/**
 * A service's own generated `PrismaClient` on PostgreSQL through `@prisma/adapter-pg` (Prisma 7 has no built-in
 * driver). Pass the generated class: `createPrismaClient(PrismaClient, { url, poolSize, applicationName })`.
 */
export function createPrismaClient<T>(
  Client: new (options: { adapter: PrismaPg; transactionOptions: { maxWait: number; timeout: number } }) => T,
  options: PrismaClientOptions,
): T {
  const adapter = new PrismaPg({
    connectionString: options.url,
    max: options.poolSize,
    application_name: options.applicationName,
  });
  // Prisma's interactive-transaction defaults (2 s to get a connection, 5 s to finish) turn a busy pool into
  // 500s under load; a request would rather wait its turn. Inbox transactions set their own limits.
  return new Client({
    adapter,
    transactionOptions: { maxWait: TRANSACTION_MAX_WAIT_MS, timeout: TRANSACTION_TIMEOUT_MS },
  });
}

/** How long a transaction may wait for a pooled connection, in ms. */
export const TRANSACTION_MAX_WAIT_MS = 15_000;
/** How long an interactive transaction may run before Prisma rolls it back, in ms. */
export const TRANSACTION_TIMEOUT_MS = 30_000;

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
