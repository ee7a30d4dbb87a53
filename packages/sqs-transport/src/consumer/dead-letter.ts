import type { MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { errorCode, errorMessage } from '../errors.js';
import { messageSize } from '../producer/message-size.js';
import { SQS_INVALID_CHARACTER, SQS_MAX_MESSAGE_ATTRIBUTES, SQS_MAX_MESSAGE_BYTES } from '../sqs-limits.js';
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
    [DEAD_LETTER_ATTRIBUTES.sourceQueue]: { DataType: 'String', StringValue: message.queue.url },
    [DEAD_LETTER_ATTRIBUTES.receiveCount]: { DataType: 'Number', StringValue: String(message.receiveCount) },
    [DEAD_LETTER_ATTRIBUTES.errorMessage]: {
      DataType: 'String',
      StringValue: truncate(sqsText(errorMessage(error) || 'no message'), MAX_REASON_LENGTH),
    },
  };
  // SQS allows 10 attributes: the reason takes four, the original keeps at most six, routing and tracing first.
  const priority = (name: string): number => (name === 'type' ? 0 : name === 'traceparent' ? 1 : 2);
  const original = Object.entries(message.message.MessageAttributes ?? {})
    .filter(([name]) => !(name in reason))
    .sort(([a], [b]) => priority(a) - priority(b))
    .slice(0, SQS_MAX_MESSAGE_ATTRIBUTES - Object.keys(reason).length)
    .map(([name, value]): [string, MessageAttributeValue] => [name, cleanAttribute(value)]);
  const body = message.message.Body ?? '';
  const fifo = deadLetterQueueUrl.endsWith('.fifo');
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: deadLetterQueueUrl,
      MessageBody: body,
      MessageAttributes: withinSizeLimit(body, reason, original),
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

/**
 * The copy's attributes within SQS's size limit, for a body that nearly fills it: the error code, source queue and
 * receive count first, then the error message cut to the bytes left (left out when not even a few fit), then the
 * original attributes in their order while they fit. Without this, a message that failed validation because it was
 * huge could never be moved: each move failed, and SQS's redrive finally took it to the DLQ without any reason.
 */
function withinSizeLimit(
  body: string,
  reason: Record<string, MessageAttributeValue>,
  original: Array<[string, MessageAttributeValue]>,
): Record<string, MessageAttributeValue> {
  const name = DEAD_LETTER_ATTRIBUTES.errorMessage;
  const { [name]: explanation, ...essentials } = reason;
  const kept: Record<string, MessageAttributeValue> = {};
  let left = SQS_MAX_MESSAGE_BYTES - messageSize(body);
  const keep = (attribute: string, value: MessageAttributeValue): void => {
    const size = messageSize('', { [attribute]: value });
    if (size > left) return;
    kept[attribute] = value;
    left -= size;
  };
  for (const [attribute, value] of Object.entries(essentials)) keep(attribute, value);
  const room = left - messageSize('', { [name]: { DataType: 'String', StringValue: '' } });
  if (explanation?.StringValue !== undefined && room >= MIN_REASON_BYTES) {
    keep(name, { DataType: 'String', StringValue: cutToBytes(explanation.StringValue, room) });
  }
  for (const [attribute, value] of original) keep(attribute, value);
  return kept;
}

/** The fewest bytes of an error message worth sending. */
const MIN_REASON_BYTES = 16;

/** `text` with every character SQS refuses in an attribute replaced by U+FFFD: an error may quote bad input. */
function sqsText(text: string): string {
  return text.replace(new RegExp(SQS_INVALID_CHARACTER.source, 'g'), '\ufffd');
}

/** At most `max` characters, never splitting a surrogate pair, ending with … when cut. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  return `${/[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

/** At most `maxBytes` bytes of UTF-8, cut between characters, ending with … when cut. */
function cutToBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let kept = '';
  let used = Buffer.byteLength('…', 'utf8');
  for (const character of text) {
    used += Buffer.byteLength(character, 'utf8');
    if (used > maxBytes) break;
    kept += character;
  }
  return `${kept}…`;
}
