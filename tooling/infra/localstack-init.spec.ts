import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GetQueueAttributesCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import type { QueueDefinition } from '@sqsref/sqs-transport';
import { parseQueueDefinitions } from '@sqsref/sqs-transport';
import type { SqsEmulator } from '@sqsref/sqs-transport/testing';
import { startSqsEmulator } from '@sqsref/sqs-transport/testing';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const initScript = join(root, 'infra/localstack/init/ready.d/10-create-queues.sh');
const healthcheck = join(root, 'infra/localstack/healthcheck.sh');

/**
 * The LocalStack init hook, run against a real SQS-API server (fauxqs) with `awslocal` standing in
 * as `aws --endpoint-url ...`. Needs the aws CLI v1 (JSON protocol) on PATH, as on this project's
 * machines; Debian's aws CLI v2.9 speaks the older query protocol, which fauxqs refuses.
 */
describe('infra/localstack init hook', () => {
  let sqs: SqsEmulator;
  let shimDir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    sqs = await startSqsEmulator();
    shimDir = await mkdtemp(join(tmpdir(), 'awslocal-'));
    await writeFile(join(shimDir, 'awslocal'), '#!/bin/sh\nexec aws --endpoint-url "$SQS_ENDPOINT" "$@"\n');
    await chmod(join(shimDir, 'awslocal'), 0o755);
    env = {
      ...process.env,
      PATH: `${shimDir}:${process.env.PATH ?? ''}`,
      SQS_ENDPOINT: sqs.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      QUEUES_FILE: join(root, 'infra/queues.json'),
      QUEUES_HELPER: join(root, 'infra/localstack/queues.py'),
    };
    const { stdout } = await run('aws', ['--version'], { env }).catch((error: unknown) => {
      throw new Error(`This test needs the aws CLI v1 on PATH (pip's awscli): ${String(error)}`);
    });
    expect(stdout + '').toMatch(/aws-cli\/1\./);
  });

  afterAll(async () => {
    await sqs.stop();
    await rm(shimDir, { recursive: true, force: true });
  });

  async function snapshot(): Promise<Map<string, Record<string, string>>> {
    const { QueueUrls = [] } = await sqs.client.send(new ListQueuesCommand({}));
    const queues = new Map<string, Record<string, string>>();
    for (const url of QueueUrls) {
      const { Attributes = {} } = await sqs.client.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: [
            'QueueArn',
            'VisibilityTimeout',
            'MessageRetentionPeriod',
            'FifoQueue',
            'RedrivePolicy',
            'ContentBasedDeduplication',
          ],
        }),
      );
      queues.set(url.slice(url.lastIndexOf('/') + 1), Attributes);
    }
    return queues;
  }

  it('creates exactly the queues, DLQs and redrive policies of infra/queues.json, and a second run changes nothing', async () => {
    const definitions = parseQueueDefinitions(JSON.parse(await readFile(join(root, 'infra/queues.json'), 'utf8')));
    await expect(run('bash', [healthcheck], { env })).rejects.toThrow(); // nothing there yet

    await run('bash', [initScript], { env });
    const first = await snapshot();
    const expectedNames = definitions.queues.flatMap((queue: QueueDefinition) => [
      queue.name,
      ...(queue.deadLetter ? [queue.deadLetter.name] : []),
    ]);
    expect([...first.keys()].sort()).toEqual(expectedNames.sort());
    for (const queue of definitions.queues) {
      const attributes = first.get(queue.name) ?? {};
      expect(attributes.VisibilityTimeout).toBe(String(queue.visibilityTimeoutSeconds));
      expect(attributes.MessageRetentionPeriod).toBe(String(queue.messageRetentionSeconds));
      expect(attributes.FifoQueue ?? 'false').toBe(String(queue.name.endsWith('.fifo')));
      if (queue.deadLetter) {
        expect(JSON.parse(attributes.RedrivePolicy ?? '{}')).toEqual({
          deadLetterTargetArn: first.get(queue.deadLetter.name)?.QueueArn,
          maxReceiveCount: queue.deadLetter.maxReceiveCount,
        });
      }
    }

    await run('bash', [initScript], { env });
    expect(await snapshot()).toEqual(first);
    await expect(run('bash', [healthcheck], { env })).resolves.toBeDefined();
  }, 120_000);

  it('is executable, has a shebang and LF line endings', async () => {
    for (const file of [initScript, healthcheck, join(root, 'infra/localstack/queues.py')]) {
      const text = await readFile(file, 'utf8');
      expect(text.startsWith('#!/usr/bin/env ')).toBe(true);
      expect(text.includes('\r')).toBe(false);
      const { stdout } = await run('stat', ['-c', '%A', file]);
      expect(stdout.trim()).toMatch(/^-rwx/);
    }
  });
});
