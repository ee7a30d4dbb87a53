export {
  startPostgres,
  createDatabase,
  dropDatabase,
  type PostgresServer,
  type StartPostgresOptions,
  type TestDatabase,
} from './postgres.js';
export { createMigratedDatabase } from './migrated-database.js';
