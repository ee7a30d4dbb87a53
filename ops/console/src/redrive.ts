import { createHash } from 'node:crypto';
import type { Message, MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import { DeleteMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { DEAD_LETTER_ATTRIBUTES, errorMessage } from '@sqsref/sqs-transport';
import { receiveAll, toDeadLetterView } from './dead-letters.js';
import { UnknownQueueError } from './errors.js';
import type { QueueDirectory } from './queues.js';

/**
 * The console's one seam to redrive: the server calls only this interface. The implementation below is a minimal
 * receive → send → delete loop over the SQS API; the shared DLQ library of packages/sqs-transport (the CLI's) takes
 * its place in {@link createRedriver} once it is merged.
 */
export interface Redriver {
  redrive(request: RedriveRequest): Promise<RedriveResult>;
}

export interface RedriveRequest {
  /** The DLQ's name, as in infra/queues.json. */
  deadLetterQueue: string;
  /** Only these messages; absent means every message the DLQ holds. */
  messageIds?: readonly string[];
}

export interface RedriveResult {
  /** Each message sent back to its source queue and then deleted from the DLQ. */
  redriven: Array<{ messageId: string; sourceQueue: string }>;
  /** Each message that stays in the DLQ, with why. */
  failed: Array<{ messageId: string; error: string }>;
}

/** How long the redrive holds a message it is sending back, in seconds. */
const REDRIVE_VISIBILITY_SECONDS = 30;
/** The most messages one redrive moves. */
const MAX_REDRIVE = 1_000;

/**
 * Builds the redriver the console uses. THE place to swap in the shared DLQ library (packages/sqs-transport/src/dlq/,
 * the CLI's) once it is merged: return an adapter that maps {@link RedriveRequest} to the library's redrive (the DLQ
 * by name, the selection by message ids) and its outcome to {@link RedriveResult}; then delete
 * {@link SqsRedriver}, {@link redriveDeduplicationId} and their cases in redrive.spec.ts. Nothing else in the
 * console changes; e2e/console.spec.ts checks the result in the browser.
 */
export function createRedriver(sqs: SQSClient, directory: QueueDirectory): Redriver {
  return new SqsRedriver(sqs, directory);
}

/**
 * Redrive over plain SQS calls. A message is deleted from the DLQ only after its send to the source queue
 * succeeded, so a crash in between leaves a copy in both (the inbox absorbs it), never none. On FIFO the copy keeps
 * its group id and gets a deduplication id derived from the original, so a redrive repeated within SQS's 5-minute
 * window sends nothing twice.
 */
export class SqsRedriver implements Redriver {
  constructor(
    private readonly sqs: SQSClient,
    private readonly directory: QueueDirectory,
  ) {}

  async redrive(request: RedriveRequest): Promise<RedriveResult> {
    const dlq = this.directory.find(request.deadLetterQueue);
    if (dlq?.kind !== 'dlq') {
      throw new UnknownQueueError(
        `"${request.deadLetterQueue}" is not a DLQ of infra/queues.json; pick one of ${this.deadLetterNames()}.`,
      );
    }
    const dlqUrl = await this.directory.url(dlq.name);
    const selected = request.messageIds ? new Set(request.messageIds) : undefined;
    const result: RedriveResult = { redriven: [], failed: [] };
    await receiveAll(
      this.sqs,
      dlqUrl,
      MAX_REDRIVE,
      async (message) => {
        const messageId = message.MessageId ?? '';
        if (selected && !selected.has(messageId)) return false;
        try {
          const sourceQueue = this.sourceOf(message, dlq.partner);
          await this.sendBack(message, dlq.name, await this.directory.url(sourceQueue));
          await this.sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: message.ReceiptHandle }));
          result.redriven.push({ messageId, sourceQueue });
          return true;
        } catch (error) {
          result.failed.push({ messageId, error: errorMessage(error) });
          return false;
        }
      },
      REDRIVE_VISIBILITY_SECONDS,
    );
    for (const messageId of selected ?? []) {
      if (
        !result.redriven.some((entry) => entry.messageId === messageId) &&
        !result.failed.some((entry) => entry.messageId === messageId)
      ) {
        result.failed.push({ messageId, error: 'not in the DLQ (already redriven, or held by another reader)' });
      }
    }
    return result;
  }

  /** The reason attribute's source queue, else the queue whose DLQ this is; it must be a queue of the file. */
  private sourceOf(message: Message, partner: string | undefined): string {
    const named = toDeadLetterView(message).sourceQueue ?? partner;
    const source = named === undefined ? undefined : this.directory.find(named);
    if (source?.kind !== 'source') {
      throw new UnknownQueueError(`the source queue "${named ?? 'unknown'}" is not a queue of infra/queues.json`);
    }
    return source.name;
  }

  private async sendBack(message: Message, dlqName: string, sourceUrl: string): Promise<void> {
    const reasonNames = new Set<string>(Object.values(DEAD_LETTER_ATTRIBUTES));
    const attributes = Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {})
        .filter(([name]) => !reasonNames.has(name))
        .map(([name, value]): [string, MessageAttributeValue] => [
          name,
          value.BinaryValue !== undefined
            ? { DataType: value.DataType, BinaryValue: value.BinaryValue }
            : { DataType: value.DataType, StringValue: value.StringValue ?? '' },
        ]),
    );
    const system = message.Attributes ?? {};
    const fifo = sourceUrl.endsWith('.fifo');
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: sourceUrl,
        MessageBody: message.Body ?? '',
        MessageAttributes: attributes,
        ...(fifo
          ? {
              MessageGroupId: system.MessageGroupId ?? message.MessageId,
              MessageDeduplicationId: redriveDeduplicationId(
                dlqName,
                system.MessageDeduplicationId ?? message.MessageId ?? '',
              ),
            }
          : {}),
      }),
    );
  }

  private deadLetterNames(): string {
    return this.directory.queues
      .filter((queue) => queue.kind === 'dlq')
      .map((queue) => queue.name)
      .join(', ');
  }
}

/** The deduplication id of a redriven copy: stable for the same original, so a repeated redrive is absorbed by SQS. */
export function redriveDeduplicationId(deadLetterQueue: string, originalId: string): string {
  return `redrive-${createHash('sha256').update(`${deadLetterQueue}\n${originalId}`).digest('hex')}`;
}
