/**
 * Every database timeout of a service, derived from its one bound `DEPENDENCY_TIMEOUT_MS` (how long an HTTP request
 * may take when a dependency hangs), so that a stalled database becomes a typed error well within the bound and the
 * request deadline is only the backstop:
 * - `connectMs` (half the bound): getting a pooled connection or opening one; Prisma's transaction `maxWait`;
 * - `statementMs` (half): the server's `statement_timeout`, so a slow but live server cancels its own statement;
 * - `queryMs` (six tenths): a query that gets no answer at all fails and its connection is closed;
 * - `transactionMs` (the bound): Prisma's interactive-transaction timeout, so no transaction outlives its request.
 */
export interface DatabaseTimeouts {
  connectMs: number;
  statementMs: number;
  queryMs: number;
  transactionMs: number;
}

export function databaseTimeouts(boundMs: number): DatabaseTimeouts {
  const half = Math.max(1, Math.floor(boundMs / 2));
  return {
    connectMs: half,
    statementMs: half,
    queryMs: Math.max(half + 1, Math.floor((boundMs * 6) / 10)),
    transactionMs: boundMs,
  };
}
