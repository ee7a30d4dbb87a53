import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { StallableProxy, waitFor } from '@sqsref/sqs-transport/testing';
import { classifyDatabaseFailure } from './database-failure.js';
import { DatabaseTimeoutError, InvalidOptionError } from './errors.js';
import type { BoundedPgPoolOptions } from './pg-pool.js';
import { createBoundedPgPool } from './pg-pool.js';
import type { PostgresServer, TestDatabase } from './testing/index.js';
import { createDatabase, startPostgres } from './testing/index.js';
import { query } from '../test/support/database.js';
import { PrismaClient } from '../test/generated/prisma/client.js';

const TIMEOUTS = { connectTimeoutMs: 1_000, statementTimeoutMs: 1_000, queryTimeoutMs: 1_500 };
/**
 * Slack allowed over a deadline on a loaded machine (CI shares 2 cores with the chaos suite and the compose stack).
 * The stalls below never end by themselves, so an answer within deadline + margin proves the deadline cut it.
 */
const MARGIN_MS = 5_000;

let server: PostgresServer;
let database: TestDatabase;
let proxy: StallableProxy;
const pools: pg.Pool[] = [];

beforeAll(async () => {
  server = await startPostgres();
  database = await createDatabase(server.url, 'pg_pool');
  await query(database.url, 'CREATE TABLE effects (n int NOT NULL)');
});

afterAll(async () => {
  await database?.drop();
  await server?.stop();
});

afterEach(async () => {
  proxy?.resume();
  await Promise.all(pools.splice(0).map((pool) => pool.end().catch(() => undefined)));
  await proxy?.stop();
  await query(database.url, 'TRUNCATE effects');
});

async function stallablePool(options: Partial<BoundedPgPoolOptions> = {}): Promise<pg.Pool> {
  proxy = await StallableProxy.forUrl(database.url);
  const pool = createBoundedPgPool({
    connectionString: proxy.url(database.url),
    max: 1,
    applicationName: 'pg-pool-spec',
    ...TIMEOUTS,
    ...options,
  });
  pool.on('error', () => undefined);
  pools.push(pool);
  return pool;
}

async function timed<T>(promise: Promise<T>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await promise;
    return { error: undefined, ms: Date.now() - started };
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
}

describe('createBoundedPgPool', () => {
  it('validates its options, naming the option', () => {
    const valid = { connectionString: 'postgres://u@h:5432/d', ...TIMEOUTS };
    expect(() => createBoundedPgPool({ ...valid, connectionString: 'mysql://x' })).toThrow(InvalidOptionError);
    expect(() => createBoundedPgPool({ ...valid, connectTimeoutMs: 0 })).toThrow(/connectTimeoutMs/);
    expect(() => createBoundedPgPool({ ...valid, max: 0 })).toThrow(/"max"/);
    expect(() => createBoundedPgPool({ ...valid, queryTimeoutMs: 1_000 })).toThrow(
      /queryTimeoutMs.*more than statementTimeoutMs \(1000\)/,
    );
  });

  it('fails a query the stalled server does not answer with DATABASE_TIMEOUT within its deadline, and closes the connection', async () => {
    const pool = await stallablePool();
    await pool.query('SELECT 1');
    expect(pool.totalCount).toBe(1);

    proxy.stall();
    const { error, ms } = await timed(pool.query('SELECT 1'));
    expect(error).toBeInstanceOf(DatabaseTimeoutError);
    expect(classifyDatabaseFailure(error)).toBe('unavailable');
    expect(ms).toBeGreaterThanOrEqual(TIMEOUTS.queryTimeoutMs - 20);
    expect(ms).toBeLessThan(TIMEOUTS.queryTimeoutMs + MARGIN_MS);
    await waitFor(() => pool.totalCount === 0, { description: 'the abandoned connection removed from the pool' });

    proxy.resume();
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('survives an idle connection the server terminates (restart, pg_terminate_backend) and opens a new one', async () => {
    const applicationName = `pg-pool-idle-${Date.now()}`;
    const pool = createBoundedPgPool({ connectionString: database.url, max: 1, applicationName, ...TIMEOUTS });
    pools.push(pool); // no 'error' listener of its own, as in the services
    await pool.query('SELECT 1');
    await query(database.url, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
      applicationName,
    ]);
    await waitFor(() => pool.totalCount === 0, {
      timeoutMs: 5_000,
      description: 'the pool to drop the closed connection',
    });
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('survives a connection the server terminates while it is checked out between two queries (a transaction whose code runs)', async () => {
    const applicationName = `pg-pool-busy-${Date.now()}`;
    const pool = createBoundedPgPool({ connectionString: database.url, max: 1, applicationName, ...TIMEOUTS });
    pools.push(pool); // no 'error' listener of its own, as in the services
    const client = await pool.connect();
    await client.query('BEGIN');
    const closed = new Promise((resolve) => client.once('end', resolve));
    // No query is running on it: pg reports the server's FATAL as the client's 'error' event, which would end the
    // process without a listener (the chaos suite saw the order service exit with code 1 this way).
    await query(database.url, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
      applicationName,
    ]);
    await closed;
    await expect(client.query('SELECT 1')).rejects.toThrow();
    client.release();
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('fails within connectTimeoutMs when no connection can be opened', async () => {
    const pool = await stallablePool();
    proxy.stall();
    const { error, ms } = await timed(pool.query('SELECT 1'));
    expect(classifyDatabaseFailure(error)).toBe('unavailable');
    expect(ms).toBeLessThan(TIMEOUTS.connectTimeoutMs + MARGIN_MS);
  });

  it("lets a live server cancel a slow statement itself ('timeout')", async () => {
    const pool = await stallablePool();
    const { error, ms } = await timed(pool.query('SELECT pg_sleep(5)'));
    expect((error as { code?: string }).code).toBe('57014');
    expect(classifyDatabaseFailure(error)).toBe('timeout');
    expect(ms).toBeLessThan(TIMEOUTS.statementTimeoutMs + MARGIN_MS);
    expect((await pool.query('SELECT 1')).rowCount).toBe(1);
  });

  it('through Prisma: a transaction cut by a stall commits nothing, even when the next transaction commits on the same pool', async () => {
    const pool = await stallablePool();
    const prisma = new PrismaClient({
      adapter: new PrismaPg(pool, { disposeExternalPool: false }),
      transactionOptions: { maxWait: TIMEOUTS.connectTimeoutMs, timeout: 5_000 },
    });
    try {
      const cut = await timed(
        prisma.$transaction(async (tx) => {
          await tx.$executeRaw`INSERT INTO effects (n) VALUES (1)`;
          proxy.stall();
          await tx.$executeRaw`INSERT INTO effects (n) VALUES (2)`;
        }),
      );
      expect(classifyDatabaseFailure(cut.error)).toBe('unavailable');
      expect(cut.ms).toBeLessThan(TIMEOUTS.queryTimeoutMs + MARGIN_MS);

      // The server now gets what the stall held back: the first transaction's second INSERT, then its connection's
      // end. With the connection kept and reused (pg's own query_timeout), this COMMIT would commit rows 1 and 3.
      proxy.resume();
      await prisma.$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO effects (n) VALUES (3)`;
      });
      await waitFor(
        async () =>
          Number(
            (
              await query<{ n: string }>(
                database.url,
                "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'pg-pool-spec' AND state LIKE 'idle in transaction%'",
              )
            )[0]?.n,
          ) === 0,
        { description: 'no session left inside the abandoned transaction' },
      );
      const rows = await query<{ n: number }>(database.url, 'SELECT n FROM effects ORDER BY n');
      expect(rows.map((row) => row.n)).toEqual([3]);
    } finally {
      await prisma.$disconnect();
    }
  });
});
