export * from './bootstrap/index.js';
export * from './config/index.js';
export * from './errors.js';
export * from './health/index.js';
export * from './http/index.js';
export * from './logging/index.js';
export * from './prisma/index.js';
export { ServiceLifecycle } from './outbox/service-lifecycle.js';
export * from './faults/index.js';
