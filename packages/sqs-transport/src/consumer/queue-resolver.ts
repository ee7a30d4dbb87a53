import type { SQSClient } from '@aws-sdk/client-sqs';
import { GetQueueAttributesCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import type { QueueRuntime } from './held-message.js';

export interface QueueToResolve {
  url?: string;
  name?: string;
  visibilityTimeoutSeconds?: number;
  deadLetterQueueUrl?: string;
}

/**
 * Looks a queue up once at start: its URL (from its name), whether it is FIFO,
 * its visibility timeout, and its DLQ and maxReceiveCount from its redrive policy.
 */
export async function resolveQueue(sqs: SQSClient, queue: QueueToResolve): Promise<QueueRuntime> {
  const url = queue.url ?? (await queueUrlOf(sqs, queue.name ?? ''));
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['VisibilityTimeout', 'RedrivePolicy', 'FifoQueue'],
    }),
  );
  const redrive = parseRedrivePolicy(attributes.RedrivePolicy);
  const deadLetterQueueUrl =
    queue.deadLetterQueueUrl ??
    (redrive?.deadLetterTargetArn ? await queueUrlOf(sqs, arnQueueName(redrive.deadLetterTargetArn)) : undefined);
  const name = url.slice(url.lastIndexOf('/') + 1);
  return {
    url,
    name,
    fifo: attributes.FifoQueue === 'true' || name.endsWith('.fifo'),
    visibilityTimeoutSeconds:
      queue.visibilityTimeoutSeconds ?? Number.parseInt(attributes.VisibilityTimeout ?? '30', 10),
    deadLetterQueueUrl,
    maxReceiveCount: redrive?.maxReceiveCount,
  };
}

async function queueUrlOf(sqs: SQSClient, name: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  if (!QueueUrl) throw new Error(`GetQueueUrl returned no URL for queue "${name}"`);
  return QueueUrl;
}

function parseRedrivePolicy(
  raw: string | undefined,
): { deadLetterTargetArn?: string; maxReceiveCount?: number } | undefined {
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as { deadLetterTargetArn?: string; maxReceiveCount?: number | string };
    return {
      ...(parsed.deadLetterTargetArn ? { deadLetterTargetArn: parsed.deadLetterTargetArn } : {}),
      ...(parsed.maxReceiveCount !== undefined ? { maxReceiveCount: Number(parsed.maxReceiveCount) } : {}),
    };
  } catch {
    return undefined;
  }
}

function arnQueueName(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}
