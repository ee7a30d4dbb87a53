import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqsClient } from '@sqsref/sqs-transport';
import type { DurableFauxqs } from './durable-fauxqs.js';
import { SqsDataInUseError, SqsEmulatorNotStartedError, startDurableFauxqs } from './durable-fauxqs.js';

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('durable fauxqs', () => {
  const dirs: string[] = [];
  const running: Array<{ server: DurableFauxqs; client: SQSClient }> = [];
  afterEach(async () => {
    for (const { server, client } of running.splice(0)) {
      client.destroy();
      await server.stop();
    }
  });
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  async function newDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'durable-fauxqs-'));
    dirs.push(dir);
    return dir;
  }

  async function start(dataDir: string, port = 0): Promise<{ server: DurableFauxqs; client: SQSClient }> {
    const server = await startDurableFauxqs({ port, host: '127.0.0.1', dataDir });
    const started = { server, client: createSqsClient({ endpoint: `http://127.0.0.1:${server.port}` }, {}) };
    running.push(started);
    return started;
  }

  async function restart(dataDir: string): Promise<SQSClient> {
    for (const { server, client } of running.splice(0)) {
      client.destroy();
      await server.stop();
    }
    return (await start(dataDir)).client;
  }

  async function counts(client: SQSClient, queueUrl: string): Promise<{ visible: number; inFlight: number }> {
    const { Attributes = {} } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return {
      visible: Number(Attributes.ApproximateNumberOfMessages),
      inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
    };
  }

  const fifo = (body: string) => ({ MessageBody: body, MessageGroupId: body, MessageDeduplicationId: body });

  it('listens on the given address only', async () => {
    const { server } = await start(await newDir());
    expect(await accepts('127.0.0.1', server.port)).toBe(true);
    // 127.0.0.2 is this machine too (all of 127/8 is loopback on Linux): a wildcard listener would accept it.
    expect(await accepts('127.0.0.2', server.port)).toBe(false);
  });

  it('keeps queues, waiting messages and in-flight messages (with their deadline) across a restart', async () => {
    const dataDir = await newDir();
    const { client } = await start(dataDir);
    const { QueueUrl = '' } = await client.send(
      new CreateQueueCommand({ QueueName: 'kept.fifo', Attributes: { FifoQueue: 'true', VisibilityTimeout: '60' } }),
    );
    await client.send(new SendMessageCommand({ QueueUrl, ...fifo('a') }));
    await client.send(new SendMessageCommand({ QueueUrl, ...fifo('b') }));
    const received = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1 }));
    expect(received.Messages).toHaveLength(1);

    const again = await restart(dataDir);
    expect(await counts(again, QueueUrl)).toEqual({ visible: 1, inFlight: 1 });
    const next = await again.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    const other = received.Messages?.[0]?.Body === 'a' ? 'b' : 'a';
    expect(next.Messages?.map((message) => message.Body)).toEqual([other]);
  });

  it('makes a released message (visibility 0) receivable at once, and keeps it with its receive count', async () => {
    const dataDir = await newDir();
    const { client } = await start(dataDir);
    const { QueueUrl = '' } = await client.send(new CreateQueueCommand({ QueueName: 'released.fifo' }));
    await client.send(new SendMessageCommand({ QueueUrl, ...fifo('released') }));
    const first = await client.send(new ReceiveMessageCommand({ QueueUrl }));
    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl,
        ReceiptHandle: first.Messages?.[0]?.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    expect(await counts(client, QueueUrl)).toEqual({ visible: 1, inFlight: 0 });

    const again = await restart(dataDir);
    const second = await again.send(
      new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
    );
    expect(second.Messages?.[0]?.Body).toBe('released');
    expect(second.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
  });

  it('keeps a message moved to its DLQ there, once, and a deleted message gone', async () => {
    const dataDir = await newDir();
    const { client } = await start(dataDir);
    const { QueueUrl: dlqUrl = '' } = await client.send(new CreateQueueCommand({ QueueName: 'dead.fifo' }));
    const { QueueUrl = '' } = await client.send(
      new CreateQueueCommand({
        QueueName: 'work.fifo',
        Attributes: {
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dead.fifo',
            maxReceiveCount: 1,
          }),
        },
      }),
    );
    await client.send(new SendMessageCommand({ QueueUrl, ...fifo('poison') }));
    await client.send(new SendMessageCommand({ QueueUrl, ...fifo('done') }));
    const first = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    for (const message of first.Messages ?? []) {
      if (message.Body === 'done')
        await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
      else
        await client.send(
          new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }),
        );
    }
    // The next receive finds the poison message over its maxReceiveCount and moves it to the DLQ.
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages ?? []).toEqual([]);

    const again = await restart(dataDir);
    expect(await counts(again, QueueUrl)).toEqual({ visible: 0, inFlight: 0 });
    expect(await counts(again, dlqUrl)).toEqual({ visible: 1, inFlight: 0 });
  });

  it('refuses a directory whose queues a live process keeps, and takes over one left by a dead process', async () => {
    const dataDir = await newDir();
    await writeFile(join(dataDir, 'fauxqs.pid'), `${process.ppid}\n`);
    await expect(startDurableFauxqs({ port: 0, host: '127.0.0.1', dataDir })).rejects.toThrow(SqsDataInUseError);

    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    await writeFile(join(dataDir, 'fauxqs.pid'), `${dead}\n`);
    const { server } = await start(dataDir);
    expect(server.port).toBeGreaterThan(0);
  });

  it('says which port to change when it cannot listen', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const failure = startDurableFauxqs({ port, host: '127.0.0.1', dataDir: await newDir() });
      await expect(failure).rejects.toThrow(SqsEmulatorNotStartedError);
      await expect(failure).rejects.toThrow(/SQS_PORT/);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
