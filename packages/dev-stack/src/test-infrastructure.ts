import type { CreatedQueue } from '@sqsref/sqs-transport';
import type { SqsEmulator } from '@sqsref/sqs-transport/testing';
import { freePort, sqsEmulatorAt, startSqsEmulator } from '@sqsref/sqs-transport/testing';
import type { ForkedSqsEmulator } from './forked-sqs-emulator.js';
import { startForkedSqsEmulator } from './forked-sqs-emulator.js';
import type { ExitStatus } from './service-process.js';
import type { PostgresServer, TestDatabase } from '@sqsref/sqs-prisma/testing';
import { createDatabase, startPostgres } from '@sqsref/sqs-prisma/testing';
import { readQueueDefinitions } from './repo-paths.js';

export interface TestInfrastructureOptions {
  /**
   * Run fauxqs durable (dev-stack's persistence) in a child process, with its data under this directory, so that it
   * can be paused, killed and started again with its data ({@link TestInfrastructure.sqsProcess}). Default: in
   * memory, in this process.
   */
  durableSqsDir?: string;
}

/** The durable emulator's process (see {@link TestInfrastructureOptions.durableSqsDir}). */
export interface SqsProcessControl {
  /** The running process's id (SIGSTOP / SIGCONT pause and resume it). */
  readonly pid: number;
  /** Sends `signal` and resolves with how the process ended. */
  kill(signal: NodeJS.Signals): Promise<ExitStatus>;
  /** Starts it again after it ended: the same port, the same data. */
  restart(): Promise<void>;
}

export interface TestInfrastructure {
  /** fauxqs on a free port of 127.0.0.1 (in memory unless `durableSqsDir`). */
  sqs: SqsEmulator;
  /** The emulator's process when it runs durable in one, else undefined. */
  sqsProcess: SqsProcessControl | undefined;
  /** Every queue (and DLQ) of infra/queues.json, by name. */
  queues: Map<string, CreatedQueue>;
  /** `DATABASE_URL`'s server, or an embedded one (removed at stop). */
  postgres: PostgresServer;
  /** One new, empty database per requested name (each name gets a unique suffix). */
  databases: Record<string, TestDatabase>;
  /** Drops the databases and stops what was started. */
  stop(): Promise<void>;
}

/**
 * The throw-away infrastructure of a test run (the e2e suites, the apps' in-process tests): an SQS emulator with the
 * queues of infra/queues.json, and fresh databases on a real PostgreSQL. `npm start`'s {@link startStack} starts the
 * durable kind instead (fixed ports, data kept between starts).
 */
export async function startTestInfrastructure(
  databaseNames: readonly string[],
  options: TestInfrastructureOptions = {},
): Promise<TestInfrastructure> {
  let sqsProcess: DurableSqsProcess | undefined;
  if (options.durableSqsDir !== undefined) sqsProcess = await DurableSqsProcess.start(options.durableSqsDir);
  const sqs = sqsProcess ? sqsProcess.emulator() : await startSqsEmulator();
  let postgres: PostgresServer | undefined;
  const databases: Record<string, TestDatabase> = {};
  const stop = async (): Promise<void> => {
    await Promise.all(Object.values(databases).map((database) => database.drop().catch(() => undefined)));
    await postgres?.stop();
    await sqs.stop();
  };
  try {
    const queues = await sqs.createQueues(readQueueDefinitions());
    postgres = await startPostgres();
    for (const name of databaseNames) databases[name] = await createDatabase(postgres.url, name);
    return { sqs, sqsProcess, queues, postgres, databases, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The URL of a queue created by {@link startTestInfrastructure}. */
export function queueUrl(infrastructure: Pick<TestInfrastructure, 'queues'>, name: string): string {
  const queue = infrastructure.queues.get(name);
  if (!queue) throw new Error(`no queue "${name}" in infra/queues.json`);
  return queue.url;
}

/** fauxqs, durable, in a child process that can be killed and started again on the same port with the same data. */
class DurableSqsProcess implements SqsProcessControl {
  private constructor(
    private readonly dataDir: string,
    private readonly port: number,
    private running: ForkedSqsEmulator,
  ) {}

  static async start(dataDir: string): Promise<DurableSqsProcess> {
    const port = await freePort();
    return new DurableSqsProcess(dataDir, port, await startForkedSqsEmulator({ durable: { dataDir, port } }));
  }

  get pid(): number {
    return this.running.pid;
  }

  kill(signal: NodeJS.Signals): Promise<ExitStatus> {
    return this.running.kill(signal);
  }

  async restart(): Promise<void> {
    await this.running.kill('SIGKILL');
    this.running = await startForkedSqsEmulator({ durable: { dataDir: this.dataDir, port: this.port } });
  }

  /** The {@link SqsEmulator} face of it: its endpoint is the same across restarts. */
  emulator(): SqsEmulator {
    return sqsEmulatorAt(this.running.endpoint, () => this.running.stop());
  }
}
