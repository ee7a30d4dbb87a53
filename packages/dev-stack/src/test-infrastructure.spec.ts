import { describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import pg from 'pg';
import { readQueueDefinitions } from './repo-paths.js';
import { queueUrl, startTestInfrastructure } from './test-infrastructure.js';

async function databaseExists(serverUrl: string, name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return ((await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

describe('startTestInfrastructure', () => {
  it('creates every queue of infra/queues.json and one fresh database per name, and removes them at stop', async () => {
    const infrastructure = await startTestInfrastructure(['infra_a', 'infra_b']);
    const { postgres, databases } = infrastructure;
    try {
      const expected = readQueueDefinitions().queues.flatMap((queue) =>
        queue.deadLetter ? [queue.name, queue.deadLetter.name] : [queue.name],
      );
      expect([...infrastructure.queues.keys()].sort()).toEqual([...expected].sort());
      expect(queueUrl(infrastructure, expected[0] ?? '')).toContain(infrastructure.sqs.endpoint.replace('http://', ''));
      expect(() => queueUrl(infrastructure, 'no-such-queue')).toThrow('no queue "no-such-queue"');
      expect(Object.keys(databases)).toEqual(['infra_a', 'infra_b']);
      expect(databases.infra_a?.name).toMatch(/^infra_a_/);
      expect(await databaseExists(postgres.url, databases.infra_a?.name ?? '')).toBe(true);
    } finally {
      await infrastructure.stop();
    }
    if (!postgres.embedded) expect(await databaseExists(postgres.url, databases.infra_a?.name ?? '')).toBe(false);
  });
});

describe('startTestInfrastructure with a durable emulator', () => {
  it('runs fauxqs in a child process that restarts on the same endpoint with its queues and messages', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'infra-durable-'));
    const infrastructure = await startTestInfrastructure([], { durableSqsDir: dataDir });
    try {
      const url = queueUrl(infrastructure, 'order-events.fifo');
      const { sqs, sqsProcess } = infrastructure;
      expect(sqsProcess?.pid).toBeGreaterThan(0);
      await sqs.client.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'kept',
          MessageGroupId: 'g',
          MessageDeduplicationId: 'd',
        }),
      );
      const before = sqsProcess?.pid;
      await sqsProcess?.restart();
      expect(sqsProcess?.pid).not.toBe(before);
      const { Messages = [] } = await sqs.client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
      expect(Messages.map((message) => message.Body)).toEqual(['kept']);
    } finally {
      await infrastructure.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
