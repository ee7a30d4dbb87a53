import type { MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { errorCode, errorMessage } from '../errors.js';
import { SQS_MAX_MESSAGE_ATTRIBUTES } from '../sqs-limits.js';
import type { HeldMessage } from './held-message.js';

/** Message attributes that carry the reason a message was dead-lettered. */
export const DEAD_LETTER_ATTRIBUTES = {
  errorCode: 'dlq-error-code',
  errorMessage: 'dlq-error-message',
  sourceQueue: 'dlq-source-queue',
  receiveCount: 'dlq-receive-count',
} as const;

/** The longest reason kept in the `dlq-error-message` attribute, in characters. */
const MAX_REASON_LENGTH = 1_024;

/**
 * Moves a message to its DLQ at once, for failures that no retry can fix
 * (unparseable body, unknown type, invalid payload, an explicit
 * NonRetryableError). The copy keeps the body, the original attributes, and on
 * FIFO queues the group and deduplication ids; the reason travels in
 * {@link DEAD_LETTER_ATTRIBUTES}. The caller deletes the original only after
 * this send succeeded, so a crash in between duplicates rather than loses it.
 */
export async function moveToDeadLetterQueue(
  sqs: SQSClient,
  message: HeldMessage,
  deadLetterQueueUrl: string,
  error: unknown,
): Promise<void> {
  const reason: Record<string, MessageAttributeValue> = {
    [DEAD_LETTER_ATTRIBUTES.errorCode]: { DataType: 'String', StringValue: errorCode(error) },
    [DEAD_LETTER_ATTRIBUTES.errorMessage]: {
      DataType: 'String',
      StringValue: truncate(errorMessage(error) || 'no message', MAX_REASON_LENGTH),
    },
    [DEAD_LETTER_ATTRIBUTES.sourceQueue]: { DataType: 'String', StringValue: message.queue.url },
    [DEAD_LETTER_ATTRIBUTES.receiveCount]: { DataType: 'Number', StringValue: String(message.receiveCount) },
  };
  // SQS allows 10 attributes: the reason takes four, the original keeps at most six, routing and tracing first.
  const priority = (name: string): number => (name === 'type' ? 0 : name === 'traceparent' ? 1 : 2);
  const original = Object.entries(message.message.MessageAttributes ?? {})
    .filter(([name]) => !(name in reason))
    .sort(([a], [b]) => priority(a) - priority(b))
    .slice(0, SQS_MAX_MESSAGE_ATTRIBUTES - Object.keys(reason).length);
  const fifo = deadLetterQueueUrl.endsWith('.fifo');
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: deadLetterQueueUrl,
      MessageBody: message.message.Body ?? '',
      MessageAttributes: {
        ...Object.fromEntries(original.map(([name, value]) => [name, cleanAttribute(value)])),
        ...reason,
      },
      ...(fifo
        ? {
            MessageGroupId: message.groupId ?? message.messageId,
            MessageDeduplicationId: message.deduplicationId ?? message.messageId,
          }
        : {}),
    }),
  );
}

/** Received attributes carry list fields SQS rejects on send; keep only the value. */
export function cleanAttribute(value: MessageAttributeValue): MessageAttributeValue {
  return value.BinaryValue !== undefined
    ? { DataType: value.DataType, BinaryValue: value.BinaryValue }
    : { DataType: value.DataType, StringValue: value.StringValue ?? '' };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
