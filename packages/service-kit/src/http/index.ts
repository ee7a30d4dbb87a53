export * from './api-error.js';
export * from './correlation-id.decorator.js';
export * from './http-exception.filter.js';
export * from './openapi.js';
export * from './validation.pipe.js';
export * from './request-deadline.interceptor.js';
export * from './service-unavailable.js';
