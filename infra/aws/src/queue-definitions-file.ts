import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { QueueDefinitions } from '@sqsref/sqs-transport';
import { parseQueueDefinitions } from '@sqsref/sqs-transport';

/** The repository's root: the Docker build context of both services. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** `infra/queues.json`: the one definition of every queue, DLQ and redrive policy. */
export const QUEUES_FILE = fileURLToPath(new URL('../../queues.json', import.meta.url));

/**
 * Reads and validates a queue definitions file with the transport's own parser (the one `npm start`, the tests
 * and LocalStack's init hook agree with), so the stack accepts exactly what the emulators accept.
 */
export function readQueueDefinitions(file: string = QUEUES_FILE): QueueDefinitions {
  return parseQueueDefinitions(JSON.parse(readFileSync(file, 'utf8')));
}
