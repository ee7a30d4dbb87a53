import { describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateQueueCommand, ListQueuesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { createSqsClient } from '@sqsref/sqs-transport';
import { freePort } from '@sqsref/sqs-transport/testing';
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

describe('startForkedSqsEmulator, durable', () => {
  it('keeps what it acknowledged across a SIGKILL: restarted on the same directory and port, the message is there', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'forked-durable-'));
    const port = await freePort();
    const first = await startForkedSqsEmulator({ durable: { dataDir, port } });
    const client = createSqsClient({ endpoint: first.endpoint });
    let second: Awaited<ReturnType<typeof startForkedSqsEmulator>> | undefined;
    try {
      const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'kept' }));
      await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'survives' }));
      expect(await first.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
      second = await startForkedSqsEmulator({ durable: { dataDir, port } });
      expect(second.endpoint).toBe(first.endpoint);
      const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
      expect(Messages.map((message) => message.Body)).toEqual(['survives']);
    } finally {
      client.destroy();
      await second?.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
