import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { InvalidOptionError } from './errors.js';
import {
  SQS_MAX_RECEIVE_COUNT,
  SQS_MAX_RETENTION_SECONDS,
  SQS_MAX_VISIBILITY_TIMEOUT_SECONDS,
  SQS_MIN_RETENTION_SECONDS,
} from './sqs-limits.js';
import { integerOption, stringOption } from './validate.js';

/** One queue and its DLQ, as written in `infra/queues.json`. */
export interface QueueDefinition {
  /** Queue name; FIFO names end in `.fifo`. */
  name: string;
  /** Visibility timeout in seconds. Default 30. */
  visibilityTimeoutSeconds?: number;
  /** Message retention in seconds. Default 1,209,600 (14 days, SQS's maximum). */
  messageRetentionSeconds?: number;
  /** FIFO only: deduplicate by body hash when no deduplication id is sent. Default false. */
  contentBasedDeduplication?: boolean;
  /** The DLQ that the redrive policy moves a message to after `maxReceiveCount` receives. */
  deadLetter?: { name: string; maxReceiveCount: number };
}

export interface QueueDefinitions {
  queues: QueueDefinition[];
}

export interface CreatedQueue {
  name: string;
  url: string;
  arn: string;
  deadLetter?: { name: string; url: string; arn: string };
}

/** Validates a parsed `queues.json`, with errors that name the entry and field. */
export function parseQueueDefinitions(value: unknown): QueueDefinitions {
  const queues = (value as { queues?: unknown } | null)?.queues;
  if (!Array.isArray(queues) || queues.length === 0) {
    throw new InvalidOptionError('queues', 'must be a non-empty array of queue definitions', queues);
  }
  return {
    queues: queues.map((raw: unknown, index) => {
      const at = `queues[${index}]`;
      const queue = (raw ?? {}) as Record<string, unknown>;
      const name = stringOption(`${at}.name`, queue.name);
      const fifo = name.endsWith('.fifo');
      const definition: QueueDefinition = {
        name,
        visibilityTimeoutSeconds: integerOption(
          `${at}.visibilityTimeoutSeconds`,
          queue.visibilityTimeoutSeconds,
          30,
          0,
          SQS_MAX_VISIBILITY_TIMEOUT_SECONDS,
        ),
        messageRetentionSeconds: integerOption(
          `${at}.messageRetentionSeconds`,
          queue.messageRetentionSeconds,
          SQS_MAX_RETENTION_SECONDS,
          SQS_MIN_RETENTION_SECONDS,
          SQS_MAX_RETENTION_SECONDS,
        ),
      };
      if (queue.contentBasedDeduplication !== undefined) {
        if (typeof queue.contentBasedDeduplication !== 'boolean' || !fifo) {
          throw new InvalidOptionError(
            `${at}.contentBasedDeduplication`,
            'must be a boolean, on FIFO queues only',
            queue.contentBasedDeduplication,
          );
        }
        definition.contentBasedDeduplication = queue.contentBasedDeduplication;
      }
      if (queue.deadLetter !== undefined) {
        const deadLetter = (queue.deadLetter ?? {}) as Record<string, unknown>;
        const dlqName = stringOption(`${at}.deadLetter.name`, deadLetter.name);
        if (dlqName.endsWith('.fifo') !== fifo) {
          throw new InvalidOptionError(`${at}.deadLetter.name`, 'must be FIFO exactly when the queue is FIFO', dlqName);
        }
        definition.deadLetter = {
          name: dlqName,
          maxReceiveCount: integerOption(
            `${at}.deadLetter.maxReceiveCount`,
            deadLetter.maxReceiveCount,
            5,
            1,
            SQS_MAX_RECEIVE_COUNT,
          ),
        };
      }
      return definition;
    }),
  };
}

/**
 * Creates every queue and DLQ of the definitions, DLQs first, with their
 * redrive policies. `CreateQueue` is idempotent for equal attributes, so
 * running it again changes nothing; a queue that already exists with other
 * attributes (a kept emulator, an older definition) gets the defined ones.
 */
export async function createQueues(sqs: SQSClient, definitions: QueueDefinitions): Promise<Map<string, CreatedQueue>> {
  const created = new Map<string, CreatedQueue>();
  for (const queue of definitions.queues) {
    let deadLetter: CreatedQueue['deadLetter'];
    if (queue.deadLetter) {
      const dlq = await createOne(sqs, queue.deadLetter.name, {
        MessageRetentionPeriod: String(queue.messageRetentionSeconds ?? SQS_MAX_RETENTION_SECONDS),
      });
      deadLetter = { name: queue.deadLetter.name, ...dlq };
      created.set(queue.deadLetter.name, { name: queue.deadLetter.name, ...dlq });
    }
    const attributes: Record<string, string> = {
      VisibilityTimeout: String(queue.visibilityTimeoutSeconds ?? 30),
      MessageRetentionPeriod: String(queue.messageRetentionSeconds ?? SQS_MAX_RETENTION_SECONDS),
    };
    if (queue.contentBasedDeduplication !== undefined)
      attributes.ContentBasedDeduplication = String(queue.contentBasedDeduplication);
    if (deadLetter && queue.deadLetter) {
      attributes.RedrivePolicy = JSON.stringify({
        deadLetterTargetArn: deadLetter.arn,
        maxReceiveCount: queue.deadLetter.maxReceiveCount,
      });
    }
    const main = await createOne(sqs, queue.name, attributes);
    created.set(queue.name, { name: queue.name, ...main, ...(deadLetter ? { deadLetter } : {}) });
  }
  return created;
}

async function createOne(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<{ url: string; arn: string }> {
  const fifo = name.endsWith('.fifo');
  const QueueUrl = await sqs
    .send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: { ...attributes, ...(fifo ? { FifoQueue: 'true' } : {}) },
      }),
    )
    .then(
      (created) => created.QueueUrl,
      async (error: unknown) => {
        if (!isQueueNameTaken(error)) throw error;
        const existing = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
        await sqs.send(new SetQueueAttributesCommand({ QueueUrl: existing.QueueUrl, Attributes: attributes }));
        return existing.QueueUrl;
      },
    );
  if (!QueueUrl) throw new Error(`CreateQueue returned no URL for "${name}"`);
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl, arn: Attributes?.QueueArn ?? '' };
}

/**
 * SQS's answer to `CreateQueue` for a name that exists with other attributes: `QueueNameExists` from AWS (JSON
 * protocol), `QueueAlreadyExists` (query protocol), `AWS.SimpleQueueService.QueueNameExists` from fauxqs.
 */
function isQueueNameTaken(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && /(^|\.)Queue(NameExists|AlreadyExists)$/.test(name);
}
