import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { QueueDefinitions } from '@sqsref/sqs-transport';
import { parseQueueDefinitions } from '@sqsref/sqs-transport';

/** `infra/queues.json`, the one definition of every queue (the same path from src/ and dist/). */
export const QUEUES_FILE = fileURLToPath(new URL('../../../infra/queues.json', import.meta.url));

/** Reads and validates a queue definition file. Default: {@link QUEUES_FILE}. */
export function readQueueDefinitions(file: string = QUEUES_FILE): QueueDefinitions {
  return parseQueueDefinitions(JSON.parse(readFileSync(file, 'utf8')));
}
