import type { SQSClient } from '@aws-sdk/client-sqs';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { DEAD_LETTER_ATTRIBUTES } from '../../src/consumer/dead-letter.js';
import type { Envelope } from '../../src/producer/envelope.js';

/** Puts `envelope` into a FIFO DLQ the way the consumer's dead-letter move does: same body, reason attributes. */
export async function putDeadLetter(
  sqs: SQSClient,
  dlqUrl: string,
  sourceQueueUrl: string,
  envelope: Envelope,
  groupId: string,
): Promise<void> {
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: dlqUrl,
      MessageBody: JSON.stringify(envelope),
      MessageGroupId: groupId,
      MessageDeduplicationId: envelope.id,
      MessageAttributes: {
        type: { DataType: 'String', StringValue: envelope.type },
        [DEAD_LETTER_ATTRIBUTES.errorCode]: { DataType: 'String', StringValue: 'PAYLOAD_INVALID' },
        [DEAD_LETTER_ATTRIBUTES.errorMessage]: { DataType: 'String', StringValue: 'rejected by the old handler' },
        [DEAD_LETTER_ATTRIBUTES.sourceQueue]: { DataType: 'String', StringValue: sourceQueueUrl },
        [DEAD_LETTER_ATTRIBUTES.receiveCount]: { DataType: 'Number', StringValue: '1' },
      },
    }),
  );
}
