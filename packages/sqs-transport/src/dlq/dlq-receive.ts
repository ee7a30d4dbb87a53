import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { ChangeMessageVisibilityBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { inBatches } from '../batches.js';
import { SQS_MAX_RECEIVE_MESSAGES } from '../sqs-limits.js';

/**
 * Receiving from a DLQ. SQS has no peek: to read a message the tools receive it, which hides it for `holdSeconds`,
 * then release it (visibility 0). On FIFO queues a received message also blocks the rest of its group until it is
 * deleted or released, so a look at a FIFO DLQ sees one message per group.
 */

/** One receive of up to 10 messages, with every message and system attribute. */
export async function receiveDeadLetters(
  sqs: SQSClient,
  queueUrl: string,
  options: { holdSeconds: number; waitTimeSeconds: number; max?: number },
): Promise<Message[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: Math.min(options.max ?? SQS_MAX_RECEIVE_MESSAGES, SQS_MAX_RECEIVE_MESSAGES),
      WaitTimeSeconds: options.waitTimeSeconds,
      VisibilityTimeout: options.holdSeconds,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return Messages;
}

/**
 * Makes held messages visible again at once, in the given order (FIFO group order is kept). Entries SQS refuses
 * (a receipt handle gone stale) reappear when their hold runs out; nothing is lost either way.
 */
export async function releaseDeadLetters(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly Message[],
): Promise<void> {
  for (const batch of inBatches(messages.filter((message) => message.ReceiptHandle))) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: 0,
        })),
      }),
    );
  }
}
