import type { MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { inBatches } from '../../src/batches.js';
import { DEAD_LETTER_ATTRIBUTES } from '../../src/consumer/dead-letter.js';
import type { Envelope } from '../../src/producer/envelope.js';

/**
 * Puts envelopes into a FIFO DLQ the way the consumer's dead-letter move does (same body, reason attributes), in the
 * given order, in batches of 10.
 */
export async function putDeadLetters(
  sqs: SQSClient,
  dlqUrl: string,
  sourceQueueUrl: string,
  entries: ReadonlyArray<{ envelope: Envelope; groupId: string }>,
): Promise<void> {
  for (const batch of inBatches(entries)) {
    const { Failed = [] } = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: dlqUrl,
        Entries: batch.map(({ envelope, groupId }, index) => ({
          Id: String(index),
          MessageBody: JSON.stringify(envelope),
          MessageGroupId: groupId,
          MessageDeduplicationId: envelope.id,
          MessageAttributes: reasonAttributes(envelope.type, sourceQueueUrl),
        })),
      }),
    );
    if (Failed.length > 0) throw new Error(`put into the DLQ failed: ${JSON.stringify(Failed)}`);
  }
}

/** Puts one envelope into a FIFO DLQ (see {@link putDeadLetters}). */
export function putDeadLetter(
  sqs: SQSClient,
  dlqUrl: string,
  sourceQueueUrl: string,
  envelope: Envelope,
  groupId: string,
): Promise<void> {
  return putDeadLetters(sqs, dlqUrl, sourceQueueUrl, [{ envelope, groupId }]);
}

function reasonAttributes(type: string, sourceQueueUrl: string): Record<string, MessageAttributeValue> {
  return {
    type: { DataType: 'String', StringValue: type },
    [DEAD_LETTER_ATTRIBUTES.errorCode]: { DataType: 'String', StringValue: 'PAYLOAD_INVALID' },
    [DEAD_LETTER_ATTRIBUTES.errorMessage]: { DataType: 'String', StringValue: 'rejected by the old handler' },
    [DEAD_LETTER_ATTRIBUTES.sourceQueue]: { DataType: 'String', StringValue: sourceQueueUrl },
    [DEAD_LETTER_ATTRIBUTES.receiveCount]: { DataType: 'Number', StringValue: '1' },
  };
}
