import type { QueueDefinitions } from '@sqsref/sqs-transport';
import type { ServiceDefinition } from './services.js';

/**
 * The SQS actions a service's task role gets, per role a queue plays for it. Each list is what the code calls, no
 * more (batch calls are authorised by their single-message action):
 * - a queue it consumes: `GetQueueUrl` (queue-urls.ts; `/ready`), `GetQueueAttributes` (consumer/queue-resolver.ts:
 *   visibility timeout and redrive policy at start), `ReceiveMessage` (consumer/poller.ts), `ChangeMessageVisibility`
 *   (`ChangeMessageVisibilityBatch`: consumer/heartbeat.ts, consumer/visibility.ts), `DeleteMessage`
 *   (`DeleteMessageBatch`: consumer/acker.ts);
 * - the DLQ of a queue it consumes: `GetQueueUrl` (queue-resolver.ts looks it up from the redrive policy) and
 *   `SendMessage` (consumer/dead-letter.ts moves non-retryable messages at once);
 * - a queue it sends to: `GetQueueUrl` (the outbox relay resolves names; `/ready`) and `SendMessage`
 *   (`SendMessageBatch`: producer/batcher.ts).
 */
export const SQS_ACTIONS = {
  consume: [
    'sqs:GetQueueUrl',
    'sqs:GetQueueAttributes',
    'sqs:ReceiveMessage',
    'sqs:ChangeMessageVisibility',
    'sqs:DeleteMessage',
  ],
  deadLetter: ['sqs:GetQueueUrl', 'sqs:SendMessage'],
  produce: ['sqs:GetQueueUrl', 'sqs:SendMessage'],
} as const;

/** What a role needs on a queue encrypted with a customer-managed KMS key: send (generate) and receive (decrypt). */
export const KMS_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;

/** Thrown when a service uses a queue that `infra/queues.json` does not define. */
export class UndefinedQueueError extends Error {
  readonly code = 'UNDEFINED_QUEUE';
  constructor(service: string, queue: string) {
    super(
      `${service} uses the queue "${queue}", which infra/queues.json does not define: add it there (with its DLQ), or fix SERVICE_QUEUES in @sqsref/contracts.`,
    );
    this.name = 'UndefinedQueueError';
  }
}

/**
 * The SQS actions one service needs, by queue name (sorted), from the queues it consumes and produces and the DLQs of
 * the ones it consumes.
 */
export function sqsAccessOf(service: ServiceDefinition, definitions: QueueDefinitions): Map<string, string[]> {
  const access = new Map<string, Set<string>>();
  const grant = (queue: string, actions: readonly string[]) => {
    const set = access.get(queue) ?? new Set<string>();
    for (const action of actions) set.add(action);
    access.set(queue, set);
  };
  const definitionOf = (queue: string) => {
    const definition = definitions.queues.find((candidate) => candidate.name === queue);
    if (!definition) throw new UndefinedQueueError(service.name, queue);
    return definition;
  };
  for (const queue of service.consumes) {
    const definition = definitionOf(queue);
    grant(queue, SQS_ACTIONS.consume);
    if (definition.deadLetter) grant(definition.deadLetter.name, SQS_ACTIONS.deadLetter);
  }
  for (const queue of service.produces) {
    definitionOf(queue);
    grant(queue, SQS_ACTIONS.produce);
  }
  return new Map(
    [...access.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([queue, actions]) => [queue, [...actions].sort()]),
  );
}
