export * from './service-kit.module.js';
export * from './start-service.js';
export * from './tokens.js';
