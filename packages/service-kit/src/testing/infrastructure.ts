import { readFileSync } from 'node:fs';
import type { CreatedQueue, QueueDefinitions } from '@sqsref/sqs-transport';
import { parseQueueDefinitions } from '@sqsref/sqs-transport';
import type { SqsEmulator } from '@sqsref/sqs-transport/testing';
import { startSqsEmulator } from '@sqsref/sqs-transport/testing';
import type { PostgresServer, TestDatabase } from '@sqsref/sqs-prisma/testing';
import { createDatabase, startPostgres } from '@sqsref/sqs-prisma/testing';

/** `infra/queues.json`, the one definition of every queue (the same path from src/ and dist/). */
export function queueDefinitions(): QueueDefinitions {
  const file = new URL('../../../../infra/queues.json', import.meta.url);
  return parseQueueDefinitions(JSON.parse(readFileSync(file, 'utf8')));
}

export interface TestInfrastructure {
  /** fauxqs on a free port. */
  sqs: SqsEmulator;
  /** Every queue (and DLQ) of infra/queues.json, by name. */
  queues: Map<string, CreatedQueue>;
  /** `DATABASE_URL`'s server, or an embedded one. */
  postgres: PostgresServer;
  /** One new, empty database per requested name. */
  databases: Record<string, TestDatabase>;
  stop(): Promise<void>;
}

/**
 * What a service test needs around it: an SQS emulator with the queues of infra/queues.json, and fresh
 * databases on a real PostgreSQL. `stop()` drops the databases and stops what was started.
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
    const queues = await sqs.createQueues(queueDefinitions());
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
