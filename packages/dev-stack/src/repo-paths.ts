import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { QueueDefinitions } from '@sqsref/sqs-transport';
import { parseQueueDefinitions } from '@sqsref/sqs-transport';

/** The repository's root (the same path from src/ and dist/). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** `infra/queues.json`, the one definition of every queue. */
export const QUEUES_FILE = join(REPO_ROOT, 'infra/queues.json');

/** The services the stack runs, by their folder under `apps/`. */
export type ServiceName = 'order-service' | 'shipping-service';

/** A service's built entry point, `apps/<name>/dist/main.js` under `repoRoot` (default {@link REPO_ROOT}). */
export function serviceEntry(name: ServiceName, repoRoot: string = REPO_ROOT): string {
  return join(repoRoot, 'apps', name, 'dist/main.js');
}

/** The operations console's built entry point, `ops/console/dist/main.js` under `repoRoot` (default {@link REPO_ROOT}). */
export function consoleEntry(repoRoot: string = REPO_ROOT): string {
  return join(repoRoot, 'ops/console/dist/main.js');
}

/** Reads and validates a queue definition file. Default: {@link QUEUES_FILE}. */
export function readQueueDefinitions(file: string = QUEUES_FILE): QueueDefinitions {
  return parseQueueDefinitions(JSON.parse(readFileSync(file, 'utf8')));
}
