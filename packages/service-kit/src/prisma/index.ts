export * from './prisma-client.js';
export * from './database-timeouts.js';
