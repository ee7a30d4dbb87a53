// Test helpers for the services and the end-to-end suite (`@sqsref/service-kit/testing`).
export * from './http-client.js';
export * from './infrastructure.js';
export * from './messages.js';
export * from './service-checks.js';
export * from './sql.js';
export * from './service-harness.js';
