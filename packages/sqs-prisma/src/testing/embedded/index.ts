export { startEmbeddedPostgres, type EmbeddedPostgres, type EmbeddedPostgresOptions } from './embedded-server.js';
export { firstBlockedDirectory, type OsIdentity } from './path-access.js';
export { postgresRunner, type PostgresRunner } from './postgres-runner.js';
