import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './paths.js';
import { readQueueDefinitions } from './queue-definitions-file.js';
import { SQS_ACTIONS, sqsAccessOf, UndefinedQueueError } from './queue-permissions.js';
import { SERVICES } from './services.js';

const definitions = readQueueDefinitions();
const shipping = SERVICES.find((service) => service.name === 'shipping-service');

/** The IAM action that authorises each SQS API call (batch calls use the single-message action). */
const ACTION_OF_COMMAND: Record<string, string> = {
  ReceiveMessageCommand: 'sqs:ReceiveMessage',
  DeleteMessageCommand: 'sqs:DeleteMessage',
  DeleteMessageBatchCommand: 'sqs:DeleteMessage',
  ChangeMessageVisibilityCommand: 'sqs:ChangeMessageVisibility',
  ChangeMessageVisibilityBatchCommand: 'sqs:ChangeMessageVisibility',
  SendMessageCommand: 'sqs:SendMessage',
  SendMessageBatchCommand: 'sqs:SendMessage',
  GetQueueUrlCommand: 'sqs:GetQueueUrl',
  GetQueueAttributesCommand: 'sqs:GetQueueAttributes',
};

/**
 * The code a service runs: the transport and the service kit, without their test kits, specs, the queue creation
 * that only `npm start` and the tests use (queue-definitions.ts: CreateQueue, SetQueueAttributes), and the operator's
 * DLQ tools (dlq/, cli/, bin/: `npm run dlq` runs with the operator's credentials, never with a task role).
 */
const RUNTIME_SOURCES = ['packages/sqs-transport/src', 'packages/service-kit/src', 'packages/sqs-prisma/src'];
const NOT_RUN_BY_SERVICES = ['packages/sqs-transport/src/queue-definitions.ts'];
const SKIPPED_DIRECTORIES = new Set(['testing', 'generated', 'dlq', 'cli', 'bin']);

function sourceFiles(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return SKIPPED_DIRECTORIES.has(entry.name) ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !NOT_RUN_BY_SERVICES.includes(path)
      ? [path]
      : [];
  });
}

describe('the SQS actions of the task roles', () => {
  it('cover every SQS call the services make (a new call fails here until its action is granted)', () => {
    const granted = new Set<string>([...SQS_ACTIONS.consume, ...SQS_ACTIONS.deadLetter, ...SQS_ACTIONS.produce]);
    const calls = RUNTIME_SOURCES.flatMap(sourceFiles).flatMap((file) =>
      [...readFileSync(join(REPO_ROOT, file), 'utf8').matchAll(/new (\w+Command)\(/g)].map((match) => ({
        file: relative('.', file),
        command: match[1] ?? '',
      })),
    );
    expect(calls.length).toBeGreaterThanOrEqual(7);
    const unknown = calls.filter(({ command }) => !(command in ACTION_OF_COMMAND));
    expect(unknown).toEqual([]);
    const ungranted = calls.filter(({ command }) => !granted.has(ACTION_OF_COMMAND[command] ?? ''));
    expect(ungranted).toEqual([]);
    // And nothing is granted that no code calls.
    expect([...granted].sort()).toEqual([...new Set(calls.map(({ command }) => ACTION_OF_COMMAND[command]))].sort());
  });

  it('merges what a service does with one queue: shipping consumes and sends its label queue', () => {
    const access = sqsAccessOf(shipping!, definitions);
    expect(access.get('shipping-labels.fifo')).toEqual([
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
      'sqs:SendMessage',
    ]);
    expect(access.get('shipping-labels-dlq.fifo')).toEqual(['sqs:GetQueueUrl', 'sqs:SendMessage']);
    expect([...access.keys()]).toEqual([
      'order-events-dlq.fifo',
      'order-events.fifo',
      'shipment-events.fifo',
      'shipping-labels-dlq.fifo',
      'shipping-labels.fifo',
    ]);
  });

  it('refuses a queue that infra/queues.json does not define, naming the service and the queue', () => {
    const service = { ...shipping!, produces: ['invoices.fifo'] };
    expect(() => sqsAccessOf(service, definitions)).toThrow(UndefinedQueueError);
    expect(() => sqsAccessOf(service, definitions)).toThrow(/shipping-service uses the queue "invoices\.fifo"/);
  });
});
