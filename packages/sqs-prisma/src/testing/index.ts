export {
  startPostgres,
  createDatabase,
  dropDatabase,
  type PostgresServer,
  type StartPostgresOptions,
  type TestDatabase,
} from './postgres.js';
export { createMigratedDatabase } from './migrated-database.js';
export {
  startEmbeddedPostgres,
  firstBlockedDirectory,
  postgresRunner,
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
  type OsIdentity,
  type PostgresRunner,
} from './embedded/index.js';
export { scalar } from './scalar.js';
