import pg from 'pg';
import { integerOption } from '@sqsref/sqs-transport/common';
import { DatabaseTimeoutError, InvalidOptionError } from './errors.js';
import { postgresUrl } from './options.js';

export interface BoundedPgPoolOptions {
  /** The database URL. */
  connectionString: string;
  /** Connections in the pool. Default 10; from 1 to 1000. */
  max?: number;
  /** Tags the sessions in `pg_stat_activity`. */
  applicationName?: string;
  /**
   * Longest wait for a connection, in ms: for a free pooled one, and for a new one to be opened (TCP and the
   * PostgreSQL handshake). From 1 to 600000.
   */
  connectTimeoutMs: number;
  /**
   * The server's `statement_timeout`, in ms: a live server cancels a statement that runs longer (SQLSTATE 57014) and
   * the connection stays usable. From 1 to 600000.
   */
  statementTimeoutMs: number;
  /**
   * Deadline of every query on the client side, in ms: when the server does not answer at all within it (stopped,
   * unreachable), the query fails with {@link DatabaseTimeoutError} and the connection is closed. Must be more than
   * `statementTimeoutMs`, so that a server that merely runs slow answers with its own cancellation first. From 1 to
   * 600000.
   */
  queryTimeoutMs: number;
}

const MAX_MS = 600_000;

/**
 * A `pg` pool, for `new PrismaPg(pool)`, in which no wait on the database is unbounded: getting a connection,
 * opening one, a statement, and any query whose answer does not come.
 *
 * A query that times out on the client side closes its connection at once. `pg` alone would give the query up but
 * keep the connection, and `@prisma/adapter-pg` returns a transaction's connection to the pool after its rollback
 * attempt whatever happened: once the server answered again, that connection would still be inside the abandoned
 * transaction, and the next transaction's COMMIT on it would commit half of the abandoned one. A closed connection
 * cannot commit anything; the server rolls its transaction back when it sees it gone.
 */
export function createBoundedPgPool(options: BoundedPgPoolOptions): pg.Pool {
  const connectionString = postgresUrl('connectionString', options.connectionString);
  const max = integerOption('max', options.max, 10, 1, 1_000);
  const connectTimeoutMs = integerOption('connectTimeoutMs', options.connectTimeoutMs, 0, 1, MAX_MS);
  const statementTimeoutMs = integerOption('statementTimeoutMs', options.statementTimeoutMs, 0, 1, MAX_MS);
  const queryTimeoutMs = integerOption('queryTimeoutMs', options.queryTimeoutMs, 0, 1, MAX_MS);
  if (queryTimeoutMs <= statementTimeoutMs) {
    throw new InvalidOptionError(
      'queryTimeoutMs',
      `must be more than statementTimeoutMs (${statementTimeoutMs}), so a slow server cancels its statement first`,
      queryTimeoutMs,
    );
  }
  const pool = new pg.Pool({
    connectionString,
    max,
    ...(options.applicationName === undefined ? {} : { application_name: options.applicationName }),
    connectionTimeoutMillis: connectTimeoutMs,
    statement_timeout: statementTimeoutMs,
  });
  pool.on('connect', (client) => {
    closeOnQueryTimeout(client, queryTimeoutMs);
    // A connection the server closes while it is checked out but runs no query (a transaction whose code runs, a
    // client between two queries) is reported as the client's 'error' event; pg-pool listens only while the client is
    // idle, so without this listener the process would exit. The client is unusable from then on: its next query
    // fails (a database error, handled as any), and the pool drops it when it is released.
    client.on('error', () => undefined);
  });
  // An idle connection the server closed (a restart, pg_terminate_backend, a failover) is dropped by the pool, which
  // opens a new one for the next query. pg reports it as the pool's 'error' event, which would crash the process
  // without a listener.
  pool.on('error', () => undefined);
  return pool;
}

type QueryCallback = (error: Error | null, result?: unknown) => void;

/**
 * Gives every query of `client` a deadline of `timeoutMs`: past it, the query fails with {@link DatabaseTimeoutError}
 * and the connection is closed (an answer that comes later is dropped). Streams and cursors (`Submittable`s) are left
 * as they are.
 */
function closeOnQueryTimeout(client: pg.ClientBase, timeoutMs: number): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const abandon = (): void => {
    (client as pg.Client).end().catch(() => undefined);
  };
  const bounded = (...args: unknown[]): unknown => {
    if (isSubmittable(args[0])) return query(...args);
    const callback = typeof args.at(-1) === 'function' ? (args.pop() as QueryCallback) : undefined;
    let settle: QueryCallback | undefined;
    const timer = setTimeout(() => {
      settle?.(new DatabaseTimeoutError(timeoutMs));
      abandon();
    }, timeoutMs);
    const once =
      (target: QueryCallback): QueryCallback =>
      (error, result) => {
        if (settle === undefined) return;
        settle = undefined;
        clearTimeout(timer);
        target(error, result);
      };
    if (callback) {
      settle = once(callback);
      query(...args, (error: Error | null, result?: unknown) => settle?.(error, result));
      return undefined;
    }
    return new Promise((resolve, reject) => {
      settle = once((error, result) => (error ? reject(error) : resolve(result)));
      (query(...args) as Promise<unknown>).then(
        (result) => settle?.(null, result),
        (error: Error) => settle?.(error),
      );
    });
  };
  Object.defineProperty(client, 'query', { value: bounded, configurable: true, writable: true });
}

function isSubmittable(value: unknown): boolean {
  return typeof (value as { submit?: unknown } | null)?.submit === 'function';
}
