import { readFileSync } from 'node:fs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { QueueDefinitions } from '@sqsref/sqs-transport';
import { lookUpQueueUrl, parseQueueDefinitions } from '@sqsref/sqs-transport';

/** A queue the console shows: a source queue or the DLQ of one. */
export interface ConsoleQueue {
  name: string;
  kind: 'source' | 'dlq';
  /** For a source queue, its DLQ's name; for a DLQ, the source queue it belongs to. */
  partner: string | undefined;
}

/** Every queue and DLQ of a definitions file, sources first, each followed by its DLQ. */
export function consoleQueues(definitions: QueueDefinitions): ConsoleQueue[] {
  return definitions.queues.flatMap((queue): ConsoleQueue[] => [
    { name: queue.name, kind: 'source', partner: queue.deadLetter?.name },
    ...(queue.deadLetter ? [{ name: queue.deadLetter.name, kind: 'dlq' as const, partner: queue.name }] : []),
  ]);
}

export function readQueuesFile(file: string): ConsoleQueue[] {
  return consoleQueues(parseQueueDefinitions(JSON.parse(readFileSync(file, 'utf8'))));
}

/**
 * Queue names to URLs, looked up with GetQueueUrl once each; a failed look-up is retried on the next call (the
 * emulator may still be creating queues when the console starts).
 */
export class QueueDirectory {
  private readonly urls = new Map<string, string>();

  constructor(
    private readonly sqs: SQSClient,
    readonly queues: readonly ConsoleQueue[],
  ) {}

  find(name: string): ConsoleQueue | undefined {
    return this.queues.find((queue) => queue.name === name);
  }

  async url(name: string): Promise<string> {
    const known = this.urls.get(name);
    if (known) return known;
    const url = await lookUpQueueUrl(this.sqs, name);
    this.urls.set(name, url);
    return url;
  }
}
