/**
 * The few members of a Prisma client that the stores use. They are structural
 * so that any service's own generated `PrismaClient` (and its interactive
 * transaction client) fits, whatever its models; this package never imports a
 * generated client.
 */

/** Runs raw SQL written as a tagged template; `${value}`s become bind parameters. */
export interface RawSqlClient {
  $executeRaw(query: TemplateStringsArray, ...values: unknown[]): PromiseLike<number>;
  $queryRaw<T = unknown>(query: TemplateStringsArray, ...values: unknown[]): PromiseLike<T>;
}

/** Options of Prisma's interactive transactions. */
export interface PrismaTransactionOptions {
  /** Max ms to wait for a connection to start the transaction. */
  maxWait?: number;
  /** Max ms the transaction may run before Prisma rolls it back. */
  timeout?: number;
}

/** A Prisma client with interactive transactions; `TTx` is the transaction client passed to the callback. */
export interface TransactionalPrismaClient<TTx extends RawSqlClient = RawSqlClient> extends RawSqlClient {
  $transaction<R>(fn: (tx: TTx) => Promise<R>, options?: PrismaTransactionOptions): PromiseLike<R>;
}
