import { applyMigrations } from '../migrate.js';
import { createDatabase, type TestDatabase } from './postgres.js';

/**
 * A new database with the migrations of `migrationsDir` applied (a service's
 * own directory, which includes the sqs_inbox_outbox migration).
 */
export async function createMigratedDatabase(
  serverUrl: string,
  migrationsDir: string,
  name?: string,
): Promise<TestDatabase> {
  const database = await createDatabase(serverUrl, name);
  try {
    await applyMigrations({ databaseUrl: database.url, migrationsDir });
  } catch (error) {
    await database.drop().catch(() => undefined);
    throw error;
  }
  return database;
}
