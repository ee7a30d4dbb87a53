import preset from '../../jest.preset.js';

export default {
  ...preset,
  displayName: 'shipping-service',
  // Generates the service's Prisma client (offline; skipped when up to date), so the tests run on a fresh clone.
  globalSetup: '<rootDir>/../../packages/service-kit/bin/jest-generate-prisma.mjs',
};
