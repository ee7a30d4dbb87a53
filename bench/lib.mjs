import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
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

/** The machine a run measured: what a reader needs to weigh its absolute numbers. */
export function machineInfo() {
  return {
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    loadAverage1m: Number(loadavg()[0].toFixed(2)),
  };
}

/**
 * Writes `bench/results/<name>.json` in the shape every benchmark shares (`{ machine, ranAt, title, rows, notes }`;
 * `bench/render-results.mjs` renders it into the README and docs/performance.md), and returns its path.
 * @param {string} name
 * @param {{ title: string, rows: Array<Record<string, unknown>>, notes?: string[] }} result
 */
export function writeResults(name, { title, rows, notes = [] }) {
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL(`${name}.json`, dir);
  const result = { machine: machineInfo(), ranAt: new Date().toISOString(), title, rows, notes };
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file.pathname;
}

/** A positive integer from the environment variable `name`, else `fallback`; anything else stops the benchmark. */
export function sizeFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer (got "${raw}"); unset it for the default ${fallback}.`);
  }
  return value;
}

/** `items` in a different order each round (rotated by `round`), so drift on a busy machine hits each item alike. */
export function rotated(items, round) {
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
