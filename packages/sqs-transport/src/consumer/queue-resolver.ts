import type { SQSClient } from '@aws-sdk/client-sqs';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { lookUpQueueUrl } from '../queue-urls.js';
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
  const url = queue.url ?? (await lookUpQueueUrl(sqs, queue.name ?? ''));
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['VisibilityTimeout', 'RedrivePolicy', 'FifoQueue'],
    }),
  );
  const redrive = parseRedrivePolicy(attributes.RedrivePolicy);
  const deadLetterQueueUrl =
    queue.deadLetterQueueUrl ??
    (redrive?.deadLetterTargetArn ? await lookUpQueueUrl(sqs, arnQueueName(redrive.deadLetterTargetArn)) : undefined);
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
