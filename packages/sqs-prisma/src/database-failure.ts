import { DatabaseTimeoutError } from './errors.js';

/**
 * Why a database call failed, when the database rather than the request is to blame:
 * - `unavailable`: the database cannot be reached or does not answer (connection refused, reset or closed, no
 *   connection within the connect timeout, a query without any answer, the server shutting down or full of
 *   connections). Nothing about the request is wrong; the same call succeeds once the database is back.
 * - `timeout`: the database answered, but a statement or a transaction ran out of its time (`statement_timeout`,
 *   `lock_timeout`, Prisma's transaction timeout). The database is slow or busy; this very work may be too slow.
 */
export type DatabaseFailure = 'unavailable' | 'timeout';

/** Prisma's codes for a database that cannot be reached, times out, closed the connection or has no room. */
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);
/** SQLSTATEs: 57P01-57P03 the server shuts down or starts up; 53300 too many connections (class 08 too, below). */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** SQLSTATEs: 57014 statement cancelled (statement_timeout); 55P03 lock not available (lock_timeout). */
const TIMEOUT_SQLSTATES = new Set(['57014', '55P03']);
/** Node's socket error codes for a server that is down or unreachable. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** `@prisma/adapter-pg`'s kinds of driver errors for the same (Prisma turns them into the codes above). */
const UNAVAILABLE_ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
/** What `pg` and `pg-pool` throw, as plain `Error`s without a code, when a connection cannot be had or is lost. */
const PG_CONNECTION_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'timeout expired',
  'Client was closed and is not queryable',
  'Client has encountered a connection error and is not queryable',
];
/** Prisma's P2028 when no connection came within the transaction's `maxWait`. */
const TRANSACTION_START_TIMEOUT = 'Unable to start a transaction in the given time';

/**
 * Classifies an error thrown by a Prisma client on `@prisma/adapter-pg` (or by `pg` itself): `unavailable`,
 * `timeout` (see {@link DatabaseFailure}), or `undefined` for everything else (constraint violations, bad input, bugs).
 * Looks through `cause` chains and Prisma's `meta.driverAdapterError`.
 */
export function classifyDatabaseFailure(error: unknown): DatabaseFailure | undefined {
  for (const candidate of causes(error)) {
    const failure = classifyOne(candidate);
    if (failure) return failure;
  }
  return undefined;
}

/** Whether the error says the database cannot be reached or does not answer (see {@link DatabaseFailure}). */
export function isDatabaseUnavailable(error: unknown): boolean {
  return classifyDatabaseFailure(error) === 'unavailable';
}

function classifyOne(error: ErrorLike): DatabaseFailure | undefined {
  if (error instanceof DatabaseTimeoutError || error.code === 'DATABASE_TIMEOUT') return 'unavailable';
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (code !== undefined) {
    if (UNAVAILABLE_PRISMA_CODES.has(code) || SOCKET_CODES.has(code)) return 'unavailable';
    if (code === 'P2028') {
      if (error.message?.includes(TRANSACTION_START_TIMEOUT)) return 'unavailable';
      // An expired transaction carries how long it took; other P2028s (a closed or unknown transaction) are bugs.
      return typeof error.meta?.timeTaken === 'number' ? 'timeout' : undefined;
    }
  }
  const sqlState = sqlStateOf(error);
  if (sqlState !== undefined) {
    if (UNAVAILABLE_SQLSTATES.has(sqlState) || sqlState.startsWith('08')) return 'unavailable';
    if (TIMEOUT_SQLSTATES.has(sqlState)) return 'timeout';
    return undefined;
  }
  if (typeof error.kind === 'string' && UNAVAILABLE_ADAPTER_KINDS.has(error.kind)) return 'unavailable';
  if (code === undefined && PG_CONNECTION_MESSAGES.some((message) => error.message?.startsWith(message))) {
    return 'unavailable';
  }
  return undefined;
}

interface ErrorLike {
  code?: unknown;
  message?: string;
  kind?: unknown;
  originalCode?: unknown;
  severity?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: { cause?: unknown }; timeTaken?: unknown };
}

/** The SQLSTATE of a PostgreSQL error: `pg`'s `DatabaseError` or the adapter's `{ kind: 'postgres', originalCode }`. */
function sqlStateOf(error: ErrorLike): string | undefined {
  if (typeof error.originalCode === 'string' && /^[0-9A-Z]{5}$/.test(error.originalCode)) return error.originalCode;
  if (typeof error.code === 'string' && typeof error.severity === 'string' && /^[0-9A-Z]{5}$/.test(error.code)) {
    return error.code;
  }
  return undefined;
}

/** The error, its causes and the driver adapter's error inside Prisma's `meta`, at most 8 deep. */
function* causes(error: unknown): Generator<ErrorLike> {
  const queue: unknown[] = [error];
  for (let seen = 0; queue.length > 0 && seen < 8; seen += 1) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null) continue;
    const candidate = current as ErrorLike;
    yield candidate;
    if (candidate.meta?.driverAdapterError !== undefined) queue.push(candidate.meta.driverAdapterError);
    if (candidate.cause !== undefined) queue.push(candidate.cause);
  }
}
