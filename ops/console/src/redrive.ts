import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetterQueue } from '@sqsref/sqs-transport/dlq';
import { redrive } from '@sqsref/sqs-transport/dlq';
import { UnknownQueueError } from './errors.js';
import type { QueueDirectory } from './queues.js';

/**
 * The console's one seam to redrive: the server calls only this interface, and {@link LibraryRedriver} implements
 * it with the transport's DLQ library, the same code as `npm run dlq -- redrive` (docs/dlq-redrive.md).
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

/** The most messages one click redrives. */
const MAX_REDRIVE = 1_000;

/** Builds the redriver the console uses. */
export function createRedriver(sqs: SQSClient, directory: QueueDirectory): Redriver {
  return new LibraryRedriver(sqs, directory);
}

/**
 * Redrive through `@sqsref/sqs-transport/dlq`: a message is deleted from the DLQ only after its send to the source
 * queue succeeded, so a crash in between leaves a copy in both (the inbox absorbs it), never none. On FIFO the copy
 * keeps its group id, is never sent ahead of an earlier message of its group that stays, and gets a deduplication id
 * derived from the original, so a redrive repeated within SQS's 5-minute window sends nothing twice.
 */
export class LibraryRedriver implements Redriver {
  constructor(
    private readonly sqs: SQSClient,
    private readonly directory: QueueDirectory,
  ) {}

  async redrive(request: RedriveRequest): Promise<RedriveResult> {
    const report = await redrive(this.sqs, {
      queue: await this.deadLetterQueue(request.deadLetterQueue),
      ...(request.messageIds === undefined ? {} : { select: { ids: [...request.messageIds] } }),
      method: 'loop',
      limit: MAX_REDRIVE,
    });
    return {
      redriven: report.moved.map((moved) => ({
        messageId: moved.message.messageId,
        sourceQueue: moved.targetQueueUrl.split('/').pop() ?? moved.targetQueueUrl,
      })),
      failed: [
        ...report.failed.map((failure) => ({ messageId: failure.messageId, error: failure.error.message })),
        ...report.notFound.map((messageId) => ({
          messageId,
          error: 'not in the DLQ (already redriven, or held by another reader)',
        })),
      ],
    };
  }

  /** The DLQ of infra/queues.json named `name`, with its source queue, as the library takes it. */
  private async deadLetterQueue(name: string): Promise<DeadLetterQueue> {
    const dlq = this.directory.find(name);
    if (dlq?.kind !== 'dlq') {
      const names = this.directory.queues.filter((queue) => queue.kind === 'dlq').map((queue) => queue.name);
      throw new UnknownQueueError(`"${name}" is not a DLQ of infra/queues.json; pick one of ${names.join(', ')}.`);
    }
    return {
      name: dlq.name,
      url: await this.directory.url(dlq.name),
      fifo: dlq.name.endsWith('.fifo'),
      source: dlq.partner === undefined ? undefined : { name: dlq.partner, url: await this.directory.url(dlq.partner) },
    };
  }
}
