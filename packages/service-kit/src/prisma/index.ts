export * from './prisma-client.js';
