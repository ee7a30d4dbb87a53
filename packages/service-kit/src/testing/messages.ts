import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import type { Envelope } from '@sqsref/sqs-transport';
import { DEAD_LETTER_ATTRIBUTES, SQS_MAX_RECEIVE_MESSAGES } from '@sqsref/sqs-transport';

/**
 * Puts a message straight onto a queue, as a producer (or a resending relay) would: the body as given, the `type`
 * attribute, and on FIFO queues the group and a deduplication id (default: a new one, so SQS's five-minute
 * deduplication does not hide a deliberate duplicate and the consumer's inbox has to).
 */
export async function sendRaw(
  sqs: SQSClient,
  queueUrl: string,
  body: string,
  options: { type?: string; groupId?: string; deduplicationId?: string } = {},
): Promise<void> {
  const fifo = queueUrl.endsWith('.fifo');
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: body,
      ...(options.type ? { MessageAttributes: { type: { DataType: 'String', StringValue: options.type } } } : {}),
      ...(fifo
        ? {
            MessageGroupId: options.groupId ?? randomUUID(),
            MessageDeduplicationId: options.deduplicationId ?? randomUUID(),
          }
        : {}),
    }),
  );
}

/** Sends an envelope (see {@link sendRaw}), grouped by `groupId`. */
export function sendEnvelope(
  sqs: SQSClient,
  queueUrl: string,
  envelope: Envelope,
  options: { groupId: string; deduplicationId?: string },
): Promise<void> {
  return sendRaw(sqs, queueUrl, JSON.stringify(envelope), { type: envelope.type, ...options });
}

/** A dead-lettered message with the reason the transport attached. */
export interface DeadLetter {
  body: string;
  type: string | undefined;
  errorCode: string | undefined;
  errorMessage: string | undefined;
}

/**
 * Takes what is on a queue now: receives (short polls until one comes back empty) and deletes, so later messages
 * of the same FIFO group come through too. Meant for DLQs and for queues nobody consumes in a test; callers keep
 * what they took.
 */
export async function drainQueue(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: SQS_MAX_RECEIVE_MESSAGES,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 30,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return all;
    all.push(...Messages);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
      }),
    );
  }
}

/** Collects what {@link drainQueue} takes from one queue, so that several checks can look at the same messages. */
export class QueueCollector {
  readonly messages: Message[] = [];

  constructor(
    private readonly sqs: SQSClient,
    readonly queueUrl: string,
  ) {}

  /** Drains the queue into `messages`; returns all collected so far. */
  async collect(): Promise<Message[]> {
    this.messages.push(...(await drainQueue(this.sqs, this.queueUrl)));
    return this.messages;
  }
}

/** The dead letters among `messages`, with their reasons. */
export function deadLetters(messages: readonly Message[]): DeadLetter[] {
  return messages.map((message) => ({
    body: message.Body ?? '',
    type: message.MessageAttributes?.type?.StringValue,
    errorCode: message.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.errorCode]?.StringValue,
    errorMessage: message.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.errorMessage]?.StringValue,
  }));
}
