import { describe, expect, it } from '@jest/globals';
import { CreateQueueCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { createSqsClient } from '@sqsref/sqs-transport';
import { startForkedSqsEmulator } from './forked-sqs-emulator.js';

describe('startForkedSqsEmulator', () => {
  it('serves SQS from a child process until stopped', async () => {
    const emulator = await startForkedSqsEmulator();
    const client = createSqsClient({ endpoint: emulator.endpoint });
    try {
      expect(emulator.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      await client.send(new CreateQueueCommand({ QueueName: 'forked' }));
      const { QueueUrls = [] } = await client.send(new ListQueuesCommand({}));
      expect(QueueUrls.some((url) => url.endsWith('/forked'))).toBe(true);
    } finally {
      await emulator.stop();
      await emulator.stop();
    }
    await expect(fetch(emulator.endpoint)).rejects.toThrow();
    client.destroy();
  });
});
