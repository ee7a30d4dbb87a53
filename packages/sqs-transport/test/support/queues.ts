import type { SQSClient } from '@aws-sdk/client-sqs';
import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';

/** Visible plus in-flight messages of a queue, from SQS's own counters. */
export async function messagesOnQueue(
  sqs: SQSClient,
  queueUrl: string,
): Promise<{ visible: number; inFlight: number }> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

/** Receives up to `max` messages (one short poll per call), with all attributes. */
export async function receiveAll(sqs: SQSClient, queueUrl: string, max = 10): Promise<Message[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: Math.min(10, max),
      WaitTimeSeconds: 1,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return Messages;
}

let counter = 0;
/** A queue name unique within the process, so suites never share state. */
export function uniqueName(base: string, fifo = false): string {
  counter += 1;
  return `${base}-${process.pid}-${counter}${fifo ? '.fifo' : ''}`;
}
