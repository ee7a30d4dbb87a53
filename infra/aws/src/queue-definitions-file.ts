import { readFileSync } from 'node:fs';
import type { QueueDefinitions } from '@sqsref/sqs-transport';
import { parseQueueDefinitions } from '@sqsref/sqs-transport';
import { QUEUES_FILE } from './paths.js';

/**
 * Reads and validates a queue definitions file with the transport's own parser (the one `npm start`, the tests
 * and LocalStack's init hook agree with), so the stack accepts exactly what the emulators accept.
 */
export function readQueueDefinitions(file: string = QUEUES_FILE): QueueDefinitions {
  return parseQueueDefinitions(JSON.parse(readFileSync(file, 'utf8')));
}
