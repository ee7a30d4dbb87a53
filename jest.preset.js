// Shared jest configuration for every workspace: TypeScript through SWC, native ESM.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2023',
        },
        module: { type: 'es6' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleNameMapper: {
    '^@sqsref/sqs-transport$': '<rootDir>/../../packages/sqs-transport/src/index.ts',
    '^@sqsref/sqs-transport/common$': '<rootDir>/../../packages/sqs-transport/src/common.ts',
    '^@sqsref/sqs-transport/dlq$': '<rootDir>/../../packages/sqs-transport/src/dlq/index.ts',
    '^@sqsref/sqs-transport/testing$': '<rootDir>/../../packages/sqs-transport/src/testing/index.ts',
    '^@sqsref/sqs-transport/metrics$': '<rootDir>/../../packages/sqs-transport/src/metrics/index.ts',
    '^@sqsref/sqs-prisma$': '<rootDir>/../../packages/sqs-prisma/src/index.ts',
    '^@sqsref/sqs-prisma/testing$': '<rootDir>/../../packages/sqs-prisma/src/testing/index.ts',
    '^@sqsref/contracts$': '<rootDir>/../../packages/contracts/src/index.ts',
    '^@sqsref/service-kit$': '<rootDir>/../../packages/service-kit/src/index.ts',
    '^@sqsref/service-kit/config$': '<rootDir>/../../packages/service-kit/src/config/index.ts',
    '^@sqsref/service-kit/testing$': '<rootDir>/../../packages/service-kit/src/testing/index.ts',
    '^@sqsref/dev-stack$': '<rootDir>/../../packages/dev-stack/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testTimeout: 30_000,
};
