import { fileURLToPath } from 'node:url';
import { ComposeProject } from './compose-project.js';
import type { HostPorts } from './host-ports.js';
import { hostPortsEnv } from './host-ports.js';

/** The project name of the test run, unless COMPOSE_TEST_PROJECT names another: never a user's own `sqsref`. */
export const DEFAULT_TEST_PROJECT = 'sqsref-compose-test';

/** The repository root: the compose project directory. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The stack `npm run test:compose` runs: docker-compose.yml as users run it with fauxqs (profiles fauxqs and
 * services), plus compose.test.yaml, under its own project name and on the given host ports.
 */
export function composeTestProject(
  ports: HostPorts,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ComposeProject {
  return new ComposeProject({
    directory: REPOSITORY_ROOT,
    name: env.COMPOSE_TEST_PROJECT || DEFAULT_TEST_PROJECT,
    files: ['docker-compose.yml', 'e2e/compose/compose.test.yaml'],
    profiles: ['fauxqs', 'services'],
    env: hostPortsEnv(ports),
  });
}
