import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEnvelope } from '../src/index.js';
import { findDeadLetterQueues, queueDepth, redrive } from '../src/dlq/index.js';
import type { SqsEmulator } from '../src/testing/index.js';
import { startSqsEmulator, waitFor } from '../src/testing/index.js';
import { putDeadLetters } from './support/dead-letters.js';
import { runDlqProcess } from './support/dlq-cli-process.js';
import { uniqueName } from './support/queues.js';

/**
 * Test 2 of issue 13: `sqs-dlq redrive` killed with SIGKILL in the middle loses nothing. Right after the kill every
 * message is in the DLQ or in its source queue (at most the one being moved is in both); after a second redrive and
 * a consumer with an inbox, each message was processed exactly once and both queues are empty.
 */
describe('a redrive killed with SIGKILL (fauxqs, the sqs-dlq process)', () => {
  const MESSAGES = 200;
  const GROUPS = 6;
  let sqs: SqsEmulator;
  let dir: string;
  beforeAll(async () => {
    sqs = await startSqsEmulator();
    dir = await mkdtemp(join(tmpdir(), 'sqs-dlq-kill-'));
  });
  afterAll(async () => {
    await sqs.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves every message in the DLQ or its source queue; the rerun and the inbox make each processed once', async () => {
    const name = uniqueName('labels', true);
    const dlqName = uniqueName('labels-dlq', true);
    const definitions = { queues: [{ name, deadLetter: { name: dlqName, maxReceiveCount: 5 } }] };
    const created = await sqs.createQueues(definitions);
    const queueUrl = created.get(name)?.url ?? '';
    const dlqUrl = created.get(dlqName)?.url ?? '';
    const queuesFile = join(dir, 'queues.json');
    await writeFile(queuesFile, JSON.stringify(definitions));

    const sent = new Map<string, { group: string; seq: number }>();
    const entries = Array.from({ length: MESSAGES }, (_, seq) => {
      const envelope = createEnvelope({ type: 'label.requested', payload: { seq } });
      const groupId = `g${seq % GROUPS}`;
      sent.set(envelope.id, { group: groupId, seq });
      return { envelope, groupId };
    });
    await putDeadLetters(sqs.client, dlqUrl, queueUrl, entries);

    const run = runDlqProcess(
      ['redrive', '--all', '--queue', dlqName, '--queues', queuesFile, '--endpoint', sqs.endpoint, '--hold', '5'],
      { AWS_ENDPOINT_URL_SQS: undefined, AWS_ENDPOINT_URL: undefined },
    );
    await waitFor(
      () => run.stdoutLines.filter((line) => line.startsWith('moved ')).length >= 10 || run.child.exitCode !== null,
      {
        description: 'ten messages moved',
        intervalMs: 1,
      },
    );
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');

    // Right after the kill: the DLQ still holds some (it was killed in the middle), the source queue the rest; a
    // message is in both only when the kill fell between its send and its delete.
    const [dead, source] = await Promise.all([queueDepth(sqs.client, dlqUrl), queueDepth(sqs.client, queueUrl)]);
    const inDlq = dead.visible + dead.inFlight;
    const inSource = source.visible + source.inFlight;
    expect(inDlq).toBeGreaterThan(0);
    expect(inSource).toBeGreaterThanOrEqual(10);
    expect(inDlq + inSource).toBeGreaterThanOrEqual(MESSAGES);
    expect(inDlq + inSource).toBeLessThanOrEqual(MESSAGES + 1);

    // Messages the killed run had received but not sent reappear after its hold (5 s): rerun until the DLQ is empty.
    const [dlq] = await findDeadLetterQueues(sqs.client, { definitions });
    if (!dlq) throw new Error('no DLQ found');
    const rerunFailures: unknown[] = [];
    await waitFor(
      async () => {
        const rerun = await redrive(sqs.client, { queue: dlq, waitTimeSeconds: 0 });
        rerunFailures.push(...rerun.failed);
        const left = await queueDepth(sqs.client, dlqUrl);
        return left.visible + left.inFlight === 0;
      },
      { description: 'the DLQ emptied by the rerun', timeoutMs: 15_000, intervalMs: 250 },
    );
    expect(rerunFailures).toEqual([]);

    // A consumer with an inbox: a message seen again is absorbed; each is processed once, in its group's order.
    const inbox = new Set<string>();
    const processedSeqs = new Map<string, number[]>();
    let duplicates = 0;
    for (;;) {
      const { Messages = [] } = await sqs.client.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      if (Messages.length === 0) break;
      for (const message of Messages) {
        const { id } = JSON.parse(message.Body ?? '{}') as { id: string };
        const origin = sent.get(id);
        if (!origin) throw new Error(`unexpected message ${id}`);
        if (inbox.has(id)) duplicates += 1;
        else {
          inbox.add(id);
          processedSeqs.set(origin.group, [...(processedSeqs.get(origin.group) ?? []), origin.seq]);
        }
        await sqs.client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
      }
    }
    expect(inbox.size).toBe(MESSAGES);
    expect(duplicates).toBeLessThanOrEqual(1);
    for (const [group, seqs] of processedSeqs) {
      expect({ group, seqs }).toEqual({ group, seqs: [...seqs].sort((a, b) => a - b) });
    }
  }, 60_000); // a process start, a 5 s hold and 200 redriven messages: slow on a loaded 2-core machine
});
