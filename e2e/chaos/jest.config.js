// The chaos suite (`npm run test:chaos`): the whole system under random faults, then an audit. Not part of `npm test`
// (it takes minutes); its modules' own specs (e2e/chaos/*.spec.ts) are. Sizes and seed: docs/reliability.md.
import preset from '../../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...preset,
  displayName: 'chaos',
  rootDir: '.',
  testMatch: ['<rootDir>/suite/*.spec.ts'],
  globalSetup: '<rootDir>/../global-setup.mjs',
};
