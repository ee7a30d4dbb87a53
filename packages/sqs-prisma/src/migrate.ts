import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  MigrationChecksumMismatchError,
  MigrationFailedError,
  MigrationLockTimeoutError,
  MigrationPreviouslyFailedError,
  errorMessage,
} from './errors.js';
import { checksumMatches, readMigrationsDirectory } from './migrations-directory.js';
import { integerOption, stringOption } from '@sqsref/sqs-transport/common';
import { postgresUrl } from './options.js';

export interface ApplyMigrationsOptions {
  /** The database to migrate. A `?schema=name` parameter, as Prisma uses it, selects (and creates) that schema. */
  databaseUrl: string;
  /** A Prisma migrations directory: one folder per migration, each with a migration.sql. */
  migrationsDir: string;
  /** How long to wait for another process's migration lock, in ms. Default 60000; from 0 (fail at once) to 3600000. */
  lockTimeoutMs?: number;
  /** Receives one line per step (lock, apply, skip). Default: silent. */
  log?: (line: string) => void;
}

export interface ApplyMigrationsResult {
  /** Migrations this call applied, in order. */
  applied: string[];
  /** Local migrations that were applied before. */
  alreadyApplied: string[];
  /** Migrations recorded in the database that are not in the directory (e.g. a newer release ran); left alone. */
  unknown: string[];
}

/** The key `prisma migrate` locks with: the two tools never migrate one database at the same time. */
export const PRISMA_MIGRATE_ADVISORY_LOCK = 72707369;

/** `_prisma_migrations` exactly as Prisma's schema engine creates it on PostgreSQL. */
export const PRISMA_MIGRATIONS_TABLE_DDL = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

interface MigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies the migrations of a Prisma migrations directory that the database
 * has not seen, in folder-name order, without any Prisma engine. It records
 * them in `_prisma_migrations` the way `prisma migrate deploy` does (same
 * table, checksums, advisory lock), so either tool can take over from the
 * other. Each migration.sql runs as one multi-statement query, as in Prisma:
 * PostgreSQL runs it in one implicit transaction.
 *
 * Safe to call from several processes at once: they serialise on the lock and
 * the later ones find nothing to do. Refuses to apply anything when an applied
 * migration was edited ({@link MigrationChecksumMismatchError}) or a failed
 * migration is recorded ({@link MigrationPreviouslyFailedError}).
 */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<ApplyMigrationsResult> {
  const databaseUrl = postgresUrl('databaseUrl', options.databaseUrl);
  const migrationsDir = stringOption('migrationsDir', options.migrationsDir);
  const lockTimeoutMs = integerOption('lockTimeoutMs', options.lockTimeoutMs, 60_000, 0, 3_600_000);
  const log = options.log ?? (() => undefined);
  const directory = await readMigrationsDirectory(migrationsDir);

  const { schema, connectionString } = splitSchemaParameter(databaseUrl);
  const client = new pg.Client({ connectionString, application_name: 'sqs-prisma-migrate' });
  await client.connect();
  try {
    if (schema) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
      await client.query(`SET search_path TO ${quoteIdentifier(schema)}`);
    }
    await acquireLock(client, lockTimeoutMs);
    log(`Acquired the migration lock; ${directory.migrations.length} migration(s) in ${directory.path}.`);
    try {
      await ensureMigrationsTable(client);
      const rows = (
        await client.query<MigrationRow>(
          'SELECT id, checksum, migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at ASC',
        )
      ).rows;
      const active = rows.filter((row) => row.rolled_back_at === null);
      const failed = active.filter((row) => row.finished_at === null).map((row) => row.migration_name);
      if (failed.length > 0) throw new MigrationPreviouslyFailedError(failed);

      const appliedByName = new Map(active.map((row) => [row.migration_name, row]));
      const edited = directory.migrations
        .filter((migration) => {
          const row = appliedByName.get(migration.name);
          return row !== undefined && !checksumMatches(migration.script, row.checksum);
        })
        .map((migration) => migration.name);
      if (edited.length > 0) throw new MigrationChecksumMismatchError(edited);

      const localNames = new Set(directory.migrations.map((migration) => migration.name));
      const result: ApplyMigrationsResult = {
        applied: [],
        alreadyApplied: directory.migrations.filter((m) => appliedByName.has(m.name)).map((m) => m.name),
        unknown: [...appliedByName.keys()].filter((name) => !localNames.has(name)),
      };
      if (result.unknown.length > 0)
        log(`Applied in the database but not in the directory (left alone): ${result.unknown.join(', ')}.`);
      for (const migration of directory.migrations) {
        if (appliedByName.has(migration.name)) continue;
        log(`Applying ${migration.name}...`);
        await applyOne(client, migration.name, migration.checksum, migration.script);
        result.applied.push(migration.name);
      }
      log(result.applied.length === 0 ? 'No pending migrations.' : `Applied ${result.applied.length} migration(s).`);
      return result;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_ADVISORY_LOCK]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function acquireLock(client: pg.Client, timeoutMs: number): Promise<void> {
  // lock_timeout bounds the wait for advisory locks too; 0 would mean "forever" to PostgreSQL.
  await client.query(`SET lock_timeout = ${Math.max(timeoutMs, 1)}`);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_ADVISORY_LOCK]);
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') throw new MigrationLockTimeoutError(timeoutMs, { cause: error });
    throw error;
  } finally {
    await client.query('RESET lock_timeout');
  }
}

async function ensureMigrationsTable(client: pg.Client): Promise<void> {
  const exists = await client.query<{ exists: boolean }>(
    "SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists",
  );
  if (!exists.rows[0]?.exists) await client.query(PRISMA_MIGRATIONS_TABLE_DDL);
}

async function applyOne(client: pg.Client, name: string, checksum: string, script: string): Promise<void> {
  const id = randomUUID();
  await client.query(
    'INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
    [id, checksum, name],
  );
  try {
    // No parameters: the simple query protocol, which accepts many statements and runs them in one implicit transaction.
    await client.query(script);
  } catch (error) {
    await client
      .query('UPDATE _prisma_migrations SET logs = $2 WHERE id = $1', [id, failureLog(name, error)])
      .catch(() => undefined);
    throw new MigrationFailedError(name, { cause: error });
  }
  await client.query(
    'UPDATE _prisma_migrations SET finished_at = now(), applied_steps_count = applied_steps_count + 1 WHERE id = $1',
    [id],
  );
}

function failureLog(name: string, error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return `Migration name: ${name}\n\nDatabase error code: ${typeof code === 'string' ? code : 'unknown'}\n\nDatabase error:\n${errorMessage(error)}\n`;
}

/** Prisma puts the schema in the URL (`?schema=`); PostgreSQL does not know that parameter. */
function splitSchemaParameter(databaseUrl: string): { schema: string | null; connectionString: string } {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema');
  url.searchParams.delete('schema');
  return { schema: schema && schema.length > 0 ? schema : null, connectionString: url.toString() };
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
