export { PrismaInboxStore, type PrismaInboxStoreOptions } from './prisma-inbox-store.js';
export { PrismaOutboxStore, type PrismaOutboxStoreOptions } from './prisma-outbox-store.js';
export { addToOutbox, addManyToOutbox, type OutboxEntry } from './outbox-writer.js';
export { OUTBOX_CHANNEL } from './outbox-listener.js';
export {
  listParkedOutboxRows,
  requeueParkedOutboxRows,
  type ParkedOutboxRow,
  type SqlQueryable,
} from './parked-outbox.js';
export type { RawSqlClient, TransactionalPrismaClient, PrismaTransactionOptions } from './prisma-client.js';
export {
  applyMigrations,
  PRISMA_MIGRATE_ADVISORY_LOCK,
  PRISMA_MIGRATIONS_TABLE_DDL,
  type ApplyMigrationsOptions,
  type ApplyMigrationsResult,
} from './migrate.js';
export {
  checkDrift,
  assertNoDrift,
  createMigration,
  type CheckDriftOptions,
  type CreateMigrationOptions,
  type DriftReport,
} from './drift.js';
export {
  readMigrationsDirectory,
  migrationChecksum,
  type MigrationScript,
  type MigrationsDirectory,
} from './migrations-directory.js';
export { sqsPrismaPaths } from './paths.js';
export * from './errors.js';
export { createBoundedPgPool, type BoundedPgPoolOptions } from './pg-pool.js';
export { classifyDatabaseFailure, isDatabaseUnavailable, type DatabaseFailure } from './database-failure.js';
