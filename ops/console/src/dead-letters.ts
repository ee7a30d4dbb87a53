import type { Message, ReceiveMessageCommandInput, SQSClient } from '@aws-sdk/client-sqs';
import { ChangeMessageVisibilityCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DEAD_LETTER_ATTRIBUTES } from '@sqsref/sqs-transport';

/** A dead-lettered message as the console shows it (never its receipt handle). */
export interface DeadLetterView {
  messageId: string;
  /** The envelope's event type (message attribute `type`, else the body's `type`), when there is one. */
  type: string | null;
  /** The envelope's id (the producer's event id), when the body is an envelope. */
  eventId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** The queue it was dead-lettered from (the reason attribute's URL reduced to the queue name). */
  sourceQueue: string | null;
  receiveCount: number | null;
  groupId: string | null;
  deduplicationId: string | null;
  sentAt: string | null;
  body: string;
}

/** How long a peek hides the messages it reads, in seconds; they are made visible again right after. */
const PEEK_VISIBILITY_SECONDS = 10;

/** Attributes a receive must ask for to show or redrive a dead letter. */
export const RECEIVE_ATTRIBUTES: Pick<
  ReceiveMessageCommandInput,
  'MessageSystemAttributeNames' | 'MessageAttributeNames'
> = {
  MessageSystemAttributeNames: ['SentTimestamp', 'MessageGroupId', 'MessageDeduplicationId', 'ApproximateReceiveCount'],
  MessageAttributeNames: ['All'],
};

/**
 * Receives a queue's messages (up to `limit`) with a short visibility timeout, so that each call sees the next ones,
 * and hands them to `visit`. What `visit` does not keep (returns false for) is made visible again at the end.
 * On a FIFO queue a group's later messages stay hidden while its first ones are held, so a peek can see fewer than
 * the queue holds; the depth from GetQueueAttributes stays the true count.
 */
export async function receiveAll(
  sqs: SQSClient,
  queueUrl: string,
  limit: number,
  visit: (message: Message) => Promise<boolean>,
  visibilitySeconds = PEEK_VISIBILITY_SECONDS,
): Promise<void> {
  const release: Message[] = [];
  const seen = new Set<string>();
  try {
    while (seen.size < limit) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, limit - seen.size),
          VisibilityTimeout: visibilitySeconds,
          WaitTimeSeconds: 0,
          ...RECEIVE_ATTRIBUTES,
        }),
      );
      const fresh = Messages.filter((message) => message.MessageId && !seen.has(message.MessageId));
      if (fresh.length === 0) break;
      for (const message of fresh) {
        seen.add(message.MessageId ?? '');
        if (!(await visit(message))) release.push(message);
      }
    }
  } finally {
    await Promise.all(
      release.map(
        (message) =>
          sqs
            .send(
              new ChangeMessageVisibilityCommand({
                QueueUrl: queueUrl,
                ReceiptHandle: message.ReceiptHandle ?? '',
                VisibilityTimeout: 0,
              }),
            )
            .catch(() => undefined), // it reappears by itself after the short timeout
      ),
    );
  }
}

/** Reads up to `limit` messages of a DLQ without removing them. */
export async function peekDeadLetters(sqs: SQSClient, queueUrl: string, limit: number): Promise<DeadLetterView[]> {
  const views: DeadLetterView[] = [];
  await receiveAll(sqs, queueUrl, limit, async (message) => {
    views.push(toDeadLetterView(message));
    return false;
  });
  return views.sort((a, b) => (a.sentAt ?? '').localeCompare(b.sentAt ?? ''));
}

/** The last path segment of a queue URL: its name (URLs from emulators name hosts other containers cannot reach). */
export function queueNameOf(queueUrl: string): string {
  return queueUrl.replace(/\/+$/, '').split('/').at(-1) ?? queueUrl;
}

export function toDeadLetterView(message: Message): DeadLetterView {
  const attribute = (name: string): string | null => message.MessageAttributes?.[name]?.StringValue ?? null;
  const system = message.Attributes ?? {};
  const body = message.Body ?? '';
  const envelope = parseObject(body);
  const sent = Number(system.SentTimestamp);
  const receiveCount = attribute(DEAD_LETTER_ATTRIBUTES.receiveCount);
  const source = attribute(DEAD_LETTER_ATTRIBUTES.sourceQueue);
  return {
    messageId: message.MessageId ?? '',
    type: attribute('type') ?? stringField(envelope, 'type'),
    eventId: stringField(envelope, 'id'),
    errorCode: attribute(DEAD_LETTER_ATTRIBUTES.errorCode),
    errorMessage: attribute(DEAD_LETTER_ATTRIBUTES.errorMessage),
    sourceQueue: source === null ? null : queueNameOf(source),
    receiveCount: receiveCount === null ? null : Number(receiveCount),
    groupId: system.MessageGroupId ?? null,
    deduplicationId: system.MessageDeduplicationId ?? null,
    sentAt: Number.isFinite(sent) && sent > 0 ? new Date(sent).toISOString() : null,
    body,
  };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function stringField(object: Record<string, unknown> | undefined, key: string): string | null {
  const value = object?.[key];
  return typeof value === 'string' ? value : null;
}
