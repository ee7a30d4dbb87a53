import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import { cleanAttribute, DEAD_LETTER_ATTRIBUTES } from '../consumer/dead-letter.js';

/** Why the transport dead-lettered a message, from its `dlq-*` attributes. */
export interface DeadLetterReason {
  /** The error's stable code, e.g. `PAYLOAD_INVALID`. */
  errorCode: string;
  errorMessage: string;
  /** URL of the queue the message was consumed from. */
  sourceQueueUrl: string;
  /** `ApproximateReceiveCount` on the source queue when it was dead-lettered. */
  receiveCount: number | undefined;
}

/** A message of a DLQ as the tools show it. Read-only facts: nothing here can change the message. */
export interface DeadLetterMessage {
  messageId: string;
  body: string;
  /** The envelope's `id` and `type`, when the body is an envelope (a poison message may not be). */
  envelope: { id: string; type: string } | undefined;
  /**
   * Set when the transport moved the message itself (a non-retryable failure); undefined when SQS's redrive policy
   * moved it (retries exhausted: `maxReceiveCount` receives).
   */
  reason: DeadLetterReason | undefined;
  /** `transport`: moved by the consumer with a reason; `redrive-policy`: moved by SQS after `maxReceiveCount`. */
  origin: 'transport' | 'redrive-policy';
  /** FIFO only. */
  groupId: string | undefined;
  /** FIFO only: the deduplication id it carries in the DLQ. */
  deduplicationId: string | undefined;
  /** When it was sent (SQS's `SentTimestamp`), if the endpoint reports it. */
  sentAt: Date | undefined;
  /** How often it was received from the DLQ, this look included. */
  receiveCount: number;
  /** Its message attributes without the `dlq-*` reason: what a redrive sends back. */
  attributes: Record<string, MessageAttributeValue>;
}

const REASON_NAMES = new Set<string>(Object.values(DEAD_LETTER_ATTRIBUTES));

/** Reads a received DLQ message (received with all message and system attributes). Never throws on a bad body. */
export function readDeadLetter(message: Message): DeadLetterMessage {
  const received = message.MessageAttributes ?? {};
  const text = (name: string): string | undefined => received[name]?.StringValue;
  const errorCode = text(DEAD_LETTER_ATTRIBUTES.errorCode);
  const reason: DeadLetterReason | undefined =
    errorCode === undefined
      ? undefined
      : {
          errorCode,
          errorMessage: text(DEAD_LETTER_ATTRIBUTES.errorMessage) ?? '',
          sourceQueueUrl: text(DEAD_LETTER_ATTRIBUTES.sourceQueue) ?? '',
          receiveCount: integer(text(DEAD_LETTER_ATTRIBUTES.receiveCount)),
        };
  const system = message.Attributes ?? {};
  const sent = integer(system.SentTimestamp);
  return {
    messageId: message.MessageId ?? '',
    body: message.Body ?? '',
    envelope: envelopeOf(message.Body ?? ''),
    reason,
    origin: reason ? 'transport' : 'redrive-policy',
    groupId: system.MessageGroupId,
    deduplicationId: system.MessageDeduplicationId,
    sentAt: sent === undefined ? undefined : new Date(sent),
    receiveCount: integer(system.ApproximateReceiveCount) ?? 1,
    attributes: Object.fromEntries(
      Object.entries(received)
        .filter(([name]) => !REASON_NAMES.has(name))
        .map(([name, value]) => [name, cleanAttribute(value)]),
    ),
  };
}

/** The envelope's id and type when the body is JSON with string `id` and `type`; the rest is not checked here. */
function envelopeOf(body: string): { id: string; type: string } | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed === null || typeof parsed !== 'object') return undefined;
    const { id, type } = parsed as { id?: unknown; type?: unknown };
    return typeof id === 'string' && typeof type === 'string' ? { id, type } : undefined;
  } catch {
    return undefined;
  }
}

function integer(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}
