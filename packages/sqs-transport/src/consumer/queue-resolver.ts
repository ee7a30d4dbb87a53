import type { SQSClient } from '@aws-sdk/client-sqs';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { lookUpQueueUrl, queueNameOf } from '../queue-urls.js';

/** What the consumer knows about one queue it reads. */
export interface QueueRuntime {
  /** Queue URL. */
  readonly url: string;
  /** Queue name (last path segment of the URL). */
  readonly name: string;
  /** Whether the queue is FIFO (name ends in `.fifo`). */
  readonly fifo: boolean;
  /** Visibility timeout requested on each receive and re-applied by the heartbeat, in seconds. */
  readonly visibilityTimeoutSeconds: number;
  /** The queue's DLQ, from its redrive policy or the options; undefined when it has none. */
  readonly deadLetterQueueUrl: string | undefined;
  /** The redrive policy's maxReceiveCount, when the queue has one. */
  readonly maxReceiveCount: number | undefined;
}

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
  const name = queueNameOf(url);
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
