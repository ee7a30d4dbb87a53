import type { CreatedQueue } from '@sqsref/sqs-transport';
import type { SqsEmulator } from '@sqsref/sqs-transport/testing';
import { startSqsEmulator } from '@sqsref/sqs-transport/testing';
import type { PostgresServer, TestDatabase } from '@sqsref/sqs-prisma/testing';
import { createDatabase, startPostgres } from '@sqsref/sqs-prisma/testing';
import { readQueueDefinitions } from './repo-paths.js';

export interface TestInfrastructure {
  /** fauxqs on a free port of 127.0.0.1, in memory. */
  sqs: SqsEmulator;
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
export async function startTestInfrastructure(databaseNames: readonly string[]): Promise<TestInfrastructure> {
  const sqs = await startSqsEmulator();
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
    return { sqs, queues, postgres, databases, stop };
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
