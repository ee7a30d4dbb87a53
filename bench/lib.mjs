import { randomUUID } from 'node:crypto';
import { CreateQueueCommand, DeleteQueueCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';

export function client(endpoint) {
  return new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
}

export async function createQueue(sqs, name, fifo) {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: { VisibilityTimeout: '60', ...(fifo ? { FifoQueue: 'true' } : {}) },
    }),
  );
  return QueueUrl;
}

export async function deleteQueue(sqs, url) {
  await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
}

/** Sends `count` envelope messages (type attribute `bench.noop`), spread over `groups` FIFO groups when given. */
export async function preload(sqs, queueUrl, count, groups) {
  const batches = [];
  for (let start = 0; start < count; start += 10) {
    const entries = [];
    for (let i = start; i < Math.min(count, start + 10); i += 1) {
      const id = randomUUID();
      entries.push({
        Id: String(i - start),
        MessageBody: JSON.stringify({
          id,
          type: 'bench.noop',
          version: 1,
          occurredAt: new Date().toISOString(),
          correlationId: id,
          causationId: null,
          payload: { i },
        }),
        MessageAttributes: { type: { DataType: 'String', StringValue: 'bench.noop' } },
        ...(groups ? { MessageGroupId: `g${i % groups}`, MessageDeduplicationId: id } : {}),
      });
    }
    batches.push(entries);
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        const entries = batches[next++];
        await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      }
    }),
  );
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Resolves when `done()` is true, checking every 5 ms; rejects after `timeoutMs`. */
export async function until(done, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
