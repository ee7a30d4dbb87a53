// Test helpers for the services and the end-to-end suite (`@sqsref/service-kit/testing`).
export * from './http-client.js';
export * from './messages.js';
export * from './service-checks.js';
export * from './sql.js';
export * from './service-harness.js';
// The infrastructure a harness runs on is dev-stack's (one owner of booting the system); its types come along.
export type { TestInfrastructure } from '@sqsref/dev-stack';
export { queueUrl } from '@sqsref/dev-stack';
export * from './generated-cases.js';
export * from './generated-input.js';
export * from './metrics-text.js';
