import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { DEFAULT_MAX_MESSAGE_BYTES, SQS_MAX_MESSAGE_BYTES, SQS_MIN_MESSAGE_SIZE_LIMIT_BYTES } from '../sqs-limits.js';
import { integerOption } from '../validate.js';

/** Size of a message as SQS counts it: the body plus every attribute's name, type and value, in UTF-8 bytes. */
export function messageSize(body: string, attributes: Record<string, MessageAttributeValue> = {}): number {
  let size = Buffer.byteLength(body, 'utf8');
  for (const [name, value] of Object.entries(attributes)) {
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value.DataType ?? '', 'utf8');
    if (value.StringValue !== undefined) size += Buffer.byteLength(value.StringValue, 'utf8');
    if (value.BinaryValue !== undefined) size += value.BinaryValue.byteLength;
  }
  return size;
}

/** Validates a `maxMessageBytes` option: default 256 KiB, from 1 KiB to SQS's 1 MiB. */
export function maxMessageBytesOption(value: unknown): number {
  return integerOption(
    'maxMessageBytes',
    value,
    DEFAULT_MAX_MESSAGE_BYTES,
    SQS_MIN_MESSAGE_SIZE_LIMIT_BYTES,
    SQS_MAX_MESSAGE_BYTES,
  );
}
