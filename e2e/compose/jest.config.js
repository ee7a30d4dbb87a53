// The black-box suite of `npm run test:compose` (e2e/compose/run.ts starts the stack, runs this, removes it): tests
// against the containers of docker-compose.yml over their published ports. Not part of `npm test`, whose e2e
// project ignores suite/; the helpers beside this file have their specs there.
import preset from '../../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...preset,
  displayName: 'compose',
  testMatch: ['<rootDir>/suite/**/*.spec.ts'],
  // Scenarios wait for a 12 s label job and restart a container; a hang still fails within two minutes.
  testTimeout: 120_000,
};
