import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { DeadLetterMessage } from './dead-letter-message.js';
import { readDeadLetter } from './dead-letter-message.js';
import type { DeadLetterQueue } from './dead-letter-queues.js';
import { receiveDeadLetters, releaseDeadLetters } from './dlq-receive.js';

/** SQS's approximate counters of a queue. */
export interface QueueDepth {
  visible: number;
  inFlight: number;
  delayed: number;
}

/** A DLQ's depth and the age of its oldest message, as `list` shows them. */
export interface DeadLetterQueueSummary {
  queue: DeadLetterQueue;
  depth: QueueDepth;
  /** Sent time of the oldest message looked at; undefined when the DLQ is empty. */
  oldestSentAt: Date | undefined;
  /** Whether every visible message was looked at (so `oldestSentAt` is the oldest, not the oldest seen). */
  complete: boolean;
}

export interface PeekOptions {
  /** Most messages to look at. Default 100. */
  max?: number;
  /** How long looked-at messages stay hidden if this process dies before releasing them, in seconds. Default 30. */
  holdSeconds?: number;
  /** Long poll of each receive, in seconds; the look ends at the first empty receive. Default 1. */
  waitTimeSeconds?: number;
}

/** A queue's approximate visible, in-flight and delayed message counts. */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<QueueDepth> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

/**
 * Looks at a DLQ's messages without removing any: receives until an empty receive (or `max`), then releases them all
 * in order. On a FIFO DLQ this sees the first message of each group only (see `dlq-receive.ts`).
 */
export async function peekDeadLetters(
  sqs: SQSClient,
  queueUrl: string,
  options: PeekOptions = {},
): Promise<DeadLetterMessage[]> {
  const max = options.max ?? 100;
  const held: Message[] = [];
  const seen = new Set<string>();
  try {
    while (held.length < max) {
      const batch = await receiveDeadLetters(sqs, queueUrl, {
        holdSeconds: options.holdSeconds ?? 30,
        waitTimeSeconds: options.waitTimeSeconds ?? 1,
        max: max - held.length,
      });
      held.push(...batch);
      const fresh = batch.filter((message) => !seen.has(message.MessageId ?? ''));
      for (const message of batch) seen.add(message.MessageId ?? '');
      if (fresh.length === 0) break; // empty, or the hold ran out and messages came round again
    }
  } finally {
    await releaseDeadLetters(sqs, queueUrl, held);
  }
  const unique = new Map(held.map((message) => [message.MessageId ?? '', message]));
  return [...unique.values()].map(readDeadLetter);
}

/** Depth and oldest message of a DLQ. Looks at up to `max` messages (see {@link peekDeadLetters}). */
export async function summarizeDeadLetterQueue(
  sqs: SQSClient,
  queue: DeadLetterQueue,
  options: PeekOptions = {},
): Promise<DeadLetterQueueSummary> {
  const depth = await queueDepth(sqs, queue.url);
  const messages = depth.visible === 0 ? [] : await peekDeadLetters(sqs, queue.url, options);
  const sent = messages.flatMap((message) => (message.sentAt ? [message.sentAt.getTime()] : []));
  return {
    queue,
    depth,
    oldestSentAt: sent.length === 0 ? undefined : new Date(Math.min(...sent)),
    complete: messages.length >= depth.visible,
  };
}
