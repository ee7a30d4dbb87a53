import type { SQSClient } from '@aws-sdk/client-sqs';
import { ChangeMessageVisibilityBatchCommand } from '@aws-sdk/client-sqs';
import { groupBy, inBatches } from '../batches.js';
import type { HeldMessage } from './held-message.js';

/**
 * Sets the visibility of held messages with `ChangeMessageVisibilityBatch`,
 * per queue, in chunks of 10, keeping the given order (group order for FIFO).
 * `0` returns them to the queue now; more delays their next delivery.
 * Resolves with the messages SQS refused (their receipt handle is gone).
 */
export async function changeVisibility(
  sqs: SQSClient,
  messages: readonly HeldMessage[],
  visibilitySeconds: (message: HeldMessage) => number,
): Promise<HeldMessage[]> {
  const refused: HeldMessage[] = [];
  for (const [queueUrl, list] of groupBy(messages, (message) => message.queue.url)) {
    for (const chunk of inBatches(list)) {
      const result = await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.receiptHandle,
            VisibilityTimeout: visibilitySeconds(message),
          })),
        }),
      );
      for (const failure of result.Failed ?? []) {
        const message = chunk[Number(failure.Id)];
        if (message) refused.push(message);
      }
    }
  }
  return refused;
}
