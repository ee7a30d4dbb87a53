export * from './bind-host.js';
export * from './config.js';
export * from './postgres.js';
export * from './repo-paths.js';
export * from './service-process.js';
export * from './sqs.js';
export * from './stack.js';
export * from './test-infrastructure.js';
