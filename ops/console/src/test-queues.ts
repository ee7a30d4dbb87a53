import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SqsEmulator } from '@sqsref/sqs-transport/testing';
import { DEAD_LETTER_ATTRIBUTES } from '@sqsref/sqs-transport';
import type { QueueDefinitions } from '@sqsref/sqs-transport';
import { consoleQueues, QueueDirectory } from './queues.js';

/** The queues of the console's SQS specs: one FIFO queue and its DLQ. */
export const TEST_QUEUES: QueueDefinitions = {
  queues: [{ name: 'work.fifo', deadLetter: { name: 'work-dlq.fifo', maxReceiveCount: 5 } }],
};

export async function testDirectory(emulator: SqsEmulator): Promise<QueueDirectory> {
  await emulator.createQueues(TEST_QUEUES);
  return new QueueDirectory(emulator.client, consoleQueues(TEST_QUEUES));
}

/** Puts a message on the DLQ the way the transport dead-letters one: the body, `type`, and the reason attributes. */
export async function deadLetter(
  emulator: SqsEmulator,
  directory: QueueDirectory,
  message: { body: string; groupId: string; deduplicationId: string; code?: string },
): Promise<void> {
  await emulator.client.send(
    new SendMessageCommand({
      QueueUrl: await directory.url('work-dlq.fifo'),
      MessageBody: message.body,
      MessageGroupId: message.groupId,
      MessageDeduplicationId: message.deduplicationId,
      MessageAttributes: {
        type: { DataType: 'String', StringValue: 'thing.happened' },
        [DEAD_LETTER_ATTRIBUTES.errorCode]: { DataType: 'String', StringValue: message.code ?? 'PAYLOAD_INVALID' },
        [DEAD_LETTER_ATTRIBUTES.errorMessage]: { DataType: 'String', StringValue: 'bad payload' },
        [DEAD_LETTER_ATTRIBUTES.sourceQueue]: { DataType: 'String', StringValue: await directory.url('work.fifo') },
        [DEAD_LETTER_ATTRIBUTES.receiveCount]: { DataType: 'Number', StringValue: '1' },
      },
    }),
  );
}
