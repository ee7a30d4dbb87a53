import type { MessageAttributeValue } from '@aws-sdk/client-sqs';

/** SQS's largest message: 1 MiB. */
export const SQS_MAX_MESSAGE_BYTES = 1_048_576;
/** The transport's default limit: 256 KiB, what every SQS-compatible endpoint accepts. */
export const DEFAULT_MAX_MESSAGE_BYTES = 262_144;

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
