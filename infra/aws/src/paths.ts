import { fileURLToPath } from 'node:url';

/** The repository's root: the Docker build context of both services. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** `infra/queues.json`: the one definition of every queue, DLQ and redrive policy. */
export const QUEUES_FILE = fileURLToPath(new URL('../../queues.json', import.meta.url));
