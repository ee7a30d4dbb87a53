// The cross-service end-to-end suite: both services as real child processes (their built dist/main.js) against
// fauxqs and PostgreSQL, driven over HTTP. Its global setup builds what it spawns. It sits one level below the
// root, so the preset's workspace paths (<rootDir>/../../packages/...) are rebased to <rootDir>/../packages/...
import preset from '../jest.preset.js';

const moduleNameMapper = Object.fromEntries(
  Object.entries(preset.moduleNameMapper).map(([pattern, target]) => [
    pattern,
    target.replace('<rootDir>/../../', '<rootDir>/../'),
  ]),
);

/** @type {import('jest').Config} */
export default {
  ...preset,
  displayName: 'e2e',
  moduleNameMapper,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  // The compose suite runs against containers that `npm run test:compose` starts (e2e/compose/jest.config.js); the
  // chaos run is `npm run test:chaos` (e2e/chaos/jest.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/compose/suite/', '<rootDir>/chaos/suite/'],
  globalSetup: '<rootDir>/global-setup.mjs',
};
