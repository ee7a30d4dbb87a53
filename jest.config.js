// One jest run over every workspace that has a jest.config.js (packages/*, apps/*, ops/*), plus the AWS CDK app
// (infra/aws), the cross-service end-to-end suite (e2e/) and the root tooling project. Run it through `npm test` (scripts/run-tests.mjs), which adds
// the flags native ESM needs.
// The list is built here rather than with globs because jest rejects a glob that matches nothing (no apps yet).
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

const projects = ['packages', 'apps', 'ops']
  .flatMap((kind) =>
    existsSync(join(root, kind)) ? readdirSync(join(root, kind)).map((name) => `${kind}/${name}/jest.config.js`) : [],
  )
  .filter((config) => existsSync(join(root, config)))
  .sort()
  .concat('infra/aws/jest.config.js', 'e2e/jest.config.js', 'tooling/jest.config.js')
  .map((config) => `<rootDir>/${config}`);

/**
 * `testTimeout` is a global option: in a multi-project run jest ignores the projects' own, so it is set here. Suites
 * that start processes and databases are slow on a loaded 2-core machine; a hang still fails within 30 s.
 * @type {import('jest').Config}
 */
export default { projects, testTimeout: 30_000 };
