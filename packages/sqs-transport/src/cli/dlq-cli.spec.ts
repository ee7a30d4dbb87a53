import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEnvelope } from '../index.js';
import { queueDepth } from '../dlq/index.js';
import type { SqsEmulator } from '../testing/index.js';
import { freePort, startSqsEmulator } from '../testing/index.js';
import { putDeadLetter } from '../../test/support/dead-letters.js';
import { uniqueName } from '../../test/support/queues.js';
import { recordingIo } from '../../test/support/recording-io.js';
import { DLQ_USAGE, runDlqCli } from './dlq-cli.js';

let sqs: SqsEmulator;
let dir: string;
let queuesFile: string;
let dlqName: string;
let dlqUrl: string;
let queueUrl: string;
const envelopes = [
  createEnvelope({ type: 'order.placed', payload: { n: 1 } }),
  createEnvelope({ type: 'order.cancelled', payload: { n: 2 } }),
];

beforeAll(async () => {
  sqs = await startSqsEmulator();
  dir = await mkdtemp(join(tmpdir(), 'sqs-dlq-cli-'));
  const name = uniqueName('orders', true);
  dlqName = uniqueName('orders-dlq', true);
  const definitions = { queues: [{ name, deadLetter: { name: dlqName, maxReceiveCount: 5 } }] };
  const created = await sqs.createQueues(definitions);
  queueUrl = created.get(name)?.url ?? '';
  dlqUrl = created.get(dlqName)?.url ?? '';
  queuesFile = join(dir, 'queues.json');
  await writeFile(queuesFile, JSON.stringify(definitions));
  for (const [index, envelope] of envelopes.entries()) {
    await putDeadLetter(sqs.client, dlqUrl, queueUrl, envelope, `g${index}`);
  }
});

afterAll(async () => {
  await sqs.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Runs the command against the emulator with the suite's queue definitions. */
const run = async (...args: string[]) => {
  const io = recordingIo({ AWS_ENDPOINT_URL_SQS: sqs.endpoint }, dir);
  const code = await runDlqCli([...args, '--queues', queuesFile], io);
  return { code, out: io.out.join('\n'), err: io.err };
};

describe('sqs-dlq list, show, redrive', () => {
  it('list: each DLQ with its depth, the age of its oldest message and its source queue', async () => {
    const { code, out } = await run('list', '--json');
    expect(code).toBe(0);
    const [row] = JSON.parse(out) as Array<Record<string, unknown>>;
    expect(row).toMatchObject({ name: dlqName, visible: 2, inFlight: 0 });
    expect(typeof row?.oldestAgeSeconds).toBe('number');
    const table = await run('list');
    expect(table.out).toMatch(new RegExp(`^${dlqName.replace('.', '\\.')}\\s+2\\s+0\\s+\\d+s\\s+orders-`, 'm'));
    expect(await queueDepth(sqs.client, dlqUrl)).toMatchObject({ visible: 2, inFlight: 0 }); // released after looking
  });

  it('show --json: reason attributes, envelope type and id, body', async () => {
    const { code, out } = await run('show', '--queue', dlqName, '--json');
    expect(code).toBe(0);
    const shown = JSON.parse(out) as { queue: string; messages: Array<Record<string, unknown>> };
    expect(shown.messages.map((message) => message.envelope)).toEqual(
      envelopes.map((envelope) => ({ id: envelope.id, type: envelope.type })),
    );
    expect(shown.messages[0]).toMatchObject({
      origin: 'transport',
      reason: { errorCode: 'PAYLOAD_INVALID', sourceQueueUrl: queueUrl, receiveCount: 1 },
      body: JSON.stringify(envelopes[0]),
      groupId: 'g0',
    });
    const text = await run('show', '--queue', dlqName);
    expect(text.out).toContain('reason: PAYLOAD_INVALID: rejected by the old handler');
  });

  it('redrive --dry-run sends nothing; redrive --type sends only that type', async () => {
    const dry = await run('redrive', '--all', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out).toContain(`${dlqName}: would move 2, keep 0 (dry run: nothing sent)`);
    expect(await queueDepth(sqs.client, queueUrl)).toMatchObject({ visible: 0 });

    const typed = await run('redrive', '--type', 'order.cancelled');
    expect(typed.code).toBe(0);
    expect(typed.out).toContain(`(order.cancelled ${envelopes[1]?.id ?? ''})`);
    expect(typed.out).toContain(`${dlqName}: moved 1, kept 1, failed 0`);
    expect(await queueDepth(sqs.client, queueUrl)).toMatchObject({ visible: 1 });
    expect(await queueDepth(sqs.client, dlqUrl)).toMatchObject({ visible: 1 });
  });
});

/** Test 4 of issue 13: bad arguments and unreachable endpoints give one clear line and a non-zero exit. */
describe('sqs-dlq errors: one line, non-zero exit', () => {
  it.each([
    [[], /^error \[USAGE\]: no command given/],
    [['frob'], /^error \[USAGE\]: unknown command "frob"/],
    [['list', '--bogus'], /^error \[USAGE\]: Unknown option '--bogus'/],
    [['redrive'], /^error \[USAGE\]: redrive needs --all, or a selection/],
    [['redrive', '--all', '--id', 'x'], /^error \[USAGE\]: --all and a selection exclude each other/],
    [['redrive', '--all', '--method', 'teleport'], /^error \[USAGE\]: --method must be auto, loop or move-task/],
    [['show', '--limit', '0'], /^error \[USAGE\]: --limit must be an integer/],
    [['redrive', '--all', '--hold', '3'], /^error \[USAGE\]: --hold must be an integer from 5 to 43200/],
    [['list', '--dry-run'], /^error \[USAGE\]: .* are options of redrive/],
    [['list', '--endpoint', 'not a url'], /^error \[USAGE\]: Invalid option "endpoint": must be an http\(s\) URL/],
    [['outbox'], /^error \[USAGE\]: "outbox" is served by @sqsref\/sqs-prisma/],
  ])('%j: exit 2', async (args, message) => {
    const { code, err } = await run(...args);
    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
  });

  it('no queue definitions and no --queue: exit 2', async () => {
    const io = recordingIo({ AWS_ENDPOINT_URL_SQS: sqs.endpoint }, dir);
    expect(await runDlqCli(['list', '--queues', join(dir, 'missing.json')], io)).toBe(2);
    expect(io.err).toEqual([expect.stringMatching(/^error \[USAGE\]: --queues: no file .*missing\.json/)]);
  });

  it('an unknown queue: UNKNOWN_QUEUE, exit 1', async () => {
    const { code, err } = await run('show', '--queue', 'no-such-dlq');
    expect(code).toBe(1);
    expect(err).toEqual([
      'error [UNKNOWN_QUEUE]: Unknown queue "no-such-dlq": it does not exist on the endpoint. Run `list` to see the DLQs.',
    ]);
  });

  it('a message id that is not in the DLQ: NO_SUCH_MESSAGE, exit 1, nothing moved', async () => {
    const before = await queueDepth(sqs.client, dlqUrl);
    const { code, err } = await run('redrive', '--queue', dlqName, '--id', 'not-a-message');
    expect(code).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^error \[NO_SUCH_MESSAGE\]: No message "not-a-message" in /);
    expect(await queueDepth(sqs.client, dlqUrl)).toEqual(before);
  });

  it('an endpoint nothing listens on: ENDPOINT_UNREACHABLE, exit 1', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const io = recordingIo({ AWS_ENDPOINT_URL_SQS: endpoint }, dir);
    expect(await runDlqCli(['list', '--queues', queuesFile], io)).toBe(1);
    expect(io.err).toEqual([
      expect.stringMatching(new RegExp(`^error \\[ENDPOINT_UNREACHABLE\\]: Cannot reach SQS at ${endpoint} `)),
    ]);
  });

  it('--help prints the usage, exit 0', async () => {
    const io = recordingIo();
    expect(await runDlqCli(['--help'], io)).toBe(0);
    expect(io.out).toEqual([DLQ_USAGE]);
  });
});
