import type { SQSClient } from '@aws-sdk/client-sqs';
import type { QueueDefinitions } from '../queue-definitions.js';
import { lookUpQueueUrl } from '../queue-urls.js';
import { UnknownQueueError } from './dlq-errors.js';

/** A DLQ the tools work on. */
export interface DeadLetterQueue {
  name: string;
  url: string;
  fifo: boolean;
  /**
   * The queue whose redrive policy targets this DLQ, from the queue definitions: where messages without a
   * `dlq-source-queue` attribute (moved by the redrive policy) go back to. Undefined for a DLQ outside the definitions.
   */
  source: { name: string; url: string } | undefined;
}

/**
 * The DLQs to work on, with their URLs looked up on the endpoint: every DLQ of `definitions`, or only `queue` (a DLQ
 * name, the name of a queue whose DLQ is meant, or a queue URL; a name outside the definitions is used when it exists
 * on the endpoint). Throws {@link UnknownQueueError} for a queue that is not there.
 */
export async function findDeadLetterQueues(
  sqs: SQSClient,
  options: { definitions?: QueueDefinitions; queue?: string },
): Promise<DeadLetterQueue[]> {
  const pairs = (options.definitions?.queues ?? []).flatMap((queue) =>
    queue.deadLetter ? [{ dlq: queue.deadLetter.name, source: queue.name }] : [],
  );
  const wanted = options.queue;
  const chosen = wanted === undefined ? pairs : pairs.filter((pair) => pair.dlq === wanted || pair.source === wanted);
  if (wanted !== undefined && chosen.length === 0) {
    const name = /^https?:\/\//.test(wanted) ? (wanted.split('/').pop() ?? wanted) : wanted;
    const url = await lookUp(sqs, wanted, name);
    return [{ name, url, fifo: name.endsWith('.fifo'), source: undefined }];
  }
  if (chosen.length === 0) {
    throw new UnknownQueueError('(none)', 'the queue definitions name no DLQ; pass --queue');
  }
  return Promise.all(
    chosen.map(async (pair) => ({
      name: pair.dlq,
      url: await lookUp(sqs, pair.dlq, pair.dlq),
      fifo: pair.dlq.endsWith('.fifo'),
      source: { name: pair.source, url: await lookUp(sqs, pair.source, pair.source) },
    })),
  );
}

async function lookUp(sqs: SQSClient, nameOrUrl: string, name: string): Promise<string> {
  if (/^https?:\/\//.test(nameOrUrl)) return nameOrUrl;
  try {
    return await lookUpQueueUrl(sqs, name);
  } catch (error) {
    const errorName = (error as { name?: unknown } | null)?.name;
    if (typeof errorName === 'string' && /(^|\.)(QueueDoesNotExist|NonExistentQueue)$/.test(errorName)) {
      throw new UnknownQueueError(name, 'it does not exist on the endpoint', { cause: error });
    }
    throw error;
  }
}
