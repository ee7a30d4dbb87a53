export * from './emulator.js';
export * from './fake-sqs-client.js';
export * from './free-port.js';
export * from './handler-spy.js';
export * from './wait-for.js';
export * from './stallable-proxy.js';
