export * from './order-events.js';
export * from './queues.js';
export * from './registry.js';
export * from './shipment-events.js';
export * from './text.js';
