import preset from '../../jest.preset.js';

export default {
  ...preset,
  displayName: 'sqs-prisma',
  // Generates the Prisma client the tests use (offline; skipped when up to date).
  globalSetup: '<rootDir>/test/global-setup.mjs',
};
