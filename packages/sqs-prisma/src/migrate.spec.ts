import { describe, it, expect, beforeAll, afterAll, afterEach } from '@jest/globals';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  MigrationChecksumMismatchError,
  MigrationFailedError,
  MigrationLockTimeoutError,
  MigrationPreviouslyFailedError,
} from './errors.js';
import { applyMigrations, PRISMA_MIGRATE_ADVISORY_LOCK } from './migrate.js';
import { readMigrationsDirectory } from './migrations-directory.js';
import { sqsPrismaPaths } from './paths.js';
import { NO_FILTERS, toMigrationList, withSchemaEngine } from './schema-engine/engine.js';
import { readSchemaFiles } from './schema-files.js';
import { createDatabase, startPostgres, type PostgresServer, type TestDatabase } from './testing/postgres.js';
import { query } from '../test/support/database.js';

const PACKAGE_MIGRATION = '20261127000000_sqs_inbox_outbox';

let server: PostgresServer;
const databases: TestDatabase[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  server = await startPostgres();
});

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

afterAll(async () => {
  await Promise.all(databases.map((db) => db.drop()));
  await server?.stop();
});

async function freshDatabase(): Promise<TestDatabase> {
  const db = await createDatabase(server.url, 'migrate');
  databases.push(db);
  return db;
}

/** A writable copy of the package migrations directory. */
async function migrationsCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sqs-prisma-migrations-'));
  dirs.push(dir);
  await cp(sqsPrismaPaths.migrationsDir, dir, { recursive: true });
  return dir;
}

async function addMigration(dir: string, name: string, sql: string): Promise<void> {
  await mkdir(join(dir, name));
  await writeFile(join(dir, name, 'migration.sql'), sql);
}

interface MigrationRecord {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

async function migrationRows(url: string): Promise<MigrationRecord[]> {
  return query<MigrationRecord>(url, 'SELECT * FROM _prisma_migrations ORDER BY started_at, migration_name');
}

async function tableColumns(url: string, table: string) {
  return query(
    url,
    `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
     FROM information_schema.columns WHERE table_name = $1 AND table_schema = current_schema() ORDER BY ordinal_position`,
    [table],
  );
}

describe('applyMigrations', () => {
  it('applies the migrations to an empty database and records them as Prisma does', async () => {
    const db = await freshDatabase();

    const result = await applyMigrations({ databaseUrl: db.url, migrationsDir: sqsPrismaPaths.migrationsDir });

    expect(result).toEqual({ applied: [PACKAGE_MIGRATION], alreadyApplied: [], unknown: [] });
    const tables = await query(
      db.url,
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    expect(tables.map((t) => t.tablename)).toEqual(['_prisma_migrations', 'sqs_inbox', 'sqs_outbox']);
    const script = await readFile(join(sqsPrismaPaths.migrationsDir, PACKAGE_MIGRATION, 'migration.sql'));
    const [row] = await migrationRows(db.url);
    expect(row).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      checksum: createHash('sha256').update(script).digest('hex'),
      finished_at: expect.any(Date),
      migration_name: PACKAGE_MIGRATION,
      logs: null,
      rolled_back_at: null,
      started_at: expect.any(Date),
      applied_steps_count: 1,
    });
  });

  it('applies nothing the second time', async () => {
    const db = await freshDatabase();
    await applyMigrations({ databaseUrl: db.url, migrationsDir: sqsPrismaPaths.migrationsDir });
    const lines: string[] = [];

    const second = await applyMigrations({
      databaseUrl: db.url,
      migrationsDir: sqsPrismaPaths.migrationsDir,
      log: (line) => lines.push(line),
    });

    expect(second).toEqual({ applied: [], alreadyApplied: [PACKAGE_MIGRATION], unknown: [] });
    expect(await migrationRows(db.url)).toHaveLength(1);
    expect(lines).toContain('No pending migrations.');
  });

  it('lets two processes start at once: they take turns and each migration runs once', async () => {
    const db = await freshDatabase();
    const dir = await migrationsCopy();
    await addMigration(dir, '20270101000000_more', 'CREATE TABLE more_things (id int PRIMARY KEY);');

    const results = await Promise.all([
      applyMigrations({ databaseUrl: db.url, migrationsDir: dir }),
      applyMigrations({ databaseUrl: db.url, migrationsDir: dir }),
    ]);

    expect(results.map((r) => r.applied.length).sort()).toEqual([0, 2]);
    expect((await migrationRows(db.url)).map((r) => r.migration_name)).toEqual([
      PACKAGE_MIGRATION,
      '20270101000000_more',
    ]);
  });

  it('applies only the new migration when one is added later, in folder-name order', async () => {
    const db = await freshDatabase();
    const dir = await migrationsCopy();
    await applyMigrations({ databaseUrl: db.url, migrationsDir: dir });
    await addMigration(dir, '20270102000000_b', 'CREATE TABLE b (id int);');
    await addMigration(dir, '20270101000000_a', 'CREATE TABLE a (id int);');

    const result = await applyMigrations({ databaseUrl: db.url, migrationsDir: dir });

    expect(result.applied).toEqual(['20270101000000_a', '20270102000000_b']);
  });

  it('refuses, applying nothing, when an applied migration was edited', async () => {
    const db = await freshDatabase();
    const dir = await migrationsCopy();
    await applyMigrations({ databaseUrl: db.url, migrationsDir: dir });
    const file = join(dir, PACKAGE_MIGRATION, 'migration.sql');
    await writeFile(file, `${await readFile(file, 'utf8')}\n-- edited\n`);
    await addMigration(dir, '20270101000000_next', 'CREATE TABLE next_table (id int);');

    const error = await applyMigrations({ databaseUrl: db.url, migrationsDir: dir }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MigrationChecksumMismatchError);
    expect(error).toMatchObject({ code: 'MIGRATION_CHECKSUM_MISMATCH', migrationNames: [PACKAGE_MIGRATION] });
    expect((error as Error).message).toContain('Restore the original migration.sql');
    expect(await migrationRows(db.url)).toHaveLength(1);
  });

  it('accepts an applied migration whose only change is CRLF line endings (as Prisma does)', async () => {
    const db = await freshDatabase();
    const dir = await migrationsCopy();
    await applyMigrations({ databaseUrl: db.url, migrationsDir: dir });
    const file = join(dir, PACKAGE_MIGRATION, 'migration.sql');
    await writeFile(file, (await readFile(file, 'utf8')).replaceAll('\n', '\r\n'));
    await expect(applyMigrations({ databaseUrl: db.url, migrationsDir: dir })).resolves.toMatchObject({ applied: [] });
  });

  it('records a failing migration, rolls back its statements, and refuses to go on until it is resolved', async () => {
    const db = await freshDatabase();
    const dir = await migrationsCopy();
    await addMigration(
      dir,
      '20270101000000_broken',
      'CREATE TABLE half_done (id int);\nALTER TABLE no_such_table ADD COLUMN x int;',
    );

    const error = await applyMigrations({ databaseUrl: db.url, migrationsDir: dir }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MigrationFailedError);
    expect(error).toMatchObject({ code: 'MIGRATION_FAILED', migrationName: '20270101000000_broken' });
    expect((error as Error).cause).toMatchObject({ code: '42P01' });
    const broken = (await migrationRows(db.url)).find((r) => r.migration_name === '20270101000000_broken');
    expect(broken).toMatchObject({ finished_at: null, rolled_back_at: null, applied_steps_count: 0 });
    expect(broken?.logs).toContain('no_such_table');
    expect(await query(db.url, "SELECT to_regclass('half_done') AS t")).toEqual([{ t: null }]);

    const refused = await applyMigrations({ databaseUrl: db.url, migrationsDir: dir }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MigrationPreviouslyFailedError);
    expect(refused).toMatchObject({ code: 'MIGRATION_PREVIOUSLY_FAILED', migrationNames: ['20270101000000_broken'] });

    // What `prisma migrate resolve --rolled-back` does; then the fixed migration applies.
    await query(
      db.url,
      "UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '20270101000000_broken'",
    );
    await writeFile(join(dir, '20270101000000_broken', 'migration.sql'), 'CREATE TABLE half_done (id int);');
    expect((await applyMigrations({ databaseUrl: db.url, migrationsDir: dir })).applied).toEqual([
      '20270101000000_broken',
    ]);
  });

  it('leaves migrations it does not know (from a newer release) alone', async () => {
    const db = await freshDatabase();
    const dir = await migrationsCopy();
    await addMigration(dir, '20270101000000_newer', 'CREATE TABLE newer (id int);');
    await applyMigrations({ databaseUrl: db.url, migrationsDir: dir });

    const older = await applyMigrations({ databaseUrl: db.url, migrationsDir: sqsPrismaPaths.migrationsDir });

    expect(older).toEqual({ applied: [], alreadyApplied: [PACKAGE_MIGRATION], unknown: ['20270101000000_newer'] });
  });

  it('times out with a clear error while another process holds the migration lock', async () => {
    const db = await freshDatabase();
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_ADVISORY_LOCK]);
      const error = await applyMigrations({
        databaseUrl: db.url,
        migrationsDir: sqsPrismaPaths.migrationsDir,
        lockTimeoutMs: 200,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationLockTimeoutError);
      expect(error).toMatchObject({ code: 'MIGRATION_LOCK_TIMEOUT', timeoutMs: 200 });
    } finally {
      await holder.end();
    }
  });

  it('migrates into the schema named by ?schema=, as Prisma URLs do', async () => {
    const db = await freshDatabase();
    const url = `${db.url}?schema=tenant_a`;
    await applyMigrations({ databaseUrl: url, migrationsDir: sqsPrismaPaths.migrationsDir });
    const tables = await query(
      db.url,
      "SELECT tablename FROM pg_tables WHERE schemaname = 'tenant_a' ORDER BY tablename",
    );
    expect(tables.map((t) => t.tablename)).toEqual(['_prisma_migrations', 'sqs_inbox', 'sqs_outbox']);
  });

  it('validates its options', async () => {
    await expect(applyMigrations({ databaseUrl: 'mysql://x', migrationsDir: 'x' })).rejects.toThrow('"databaseUrl"');
    await expect(applyMigrations({ databaseUrl: server.url, migrationsDir: 'x', lockTimeoutMs: -1 })).rejects.toThrow(
      '"lockTimeoutMs": must be an integer from 0 to 3600000',
    );
    await expect(applyMigrations({ databaseUrl: server.url, migrationsDir: '/nonexistent' })).rejects.toMatchObject({
      code: 'MIGRATIONS_DIRECTORY_INVALID',
    });
  });
});

describe('compatibility with Prisma Migrate (its own schema engine, run offline)', () => {
  it('sees a database migrated here as fully migrated, and finds nothing to apply', async () => {
    const db = await freshDatabase();
    await applyMigrations({ databaseUrl: db.url, migrationsDir: sqsPrismaPaths.migrationsDir });
    const migrations = await readMigrationsDirectory(sqsPrismaPaths.migrationsDir);
    const schemaFiles = await readSchemaFiles(sqsPrismaPaths.schemaDir);

    const { diagnosis, applied } = await withSchemaEngine(
      { databaseUrl: db.url, schemaFiles },
      'the compatibility test',
      async (engine) => ({
        diagnosis: await engine.diagnoseMigrationHistory({
          migrationsList: toMigrationList(migrations),
          optInToShadowDatabase: false,
          filters: NO_FILTERS,
        }),
        applied: await engine.applyMigrations({ migrationsList: toMigrationList(migrations), filters: NO_FILTERS }),
      }),
    );

    expect(diagnosis).toMatchObject({
      history: null,
      failedMigrationNames: [],
      editedMigrationNames: [],
      hasMigrationsTable: true,
    });
    expect(applied.appliedMigrationNames).toEqual([]);
  });

  it('writes the same _prisma_migrations table and rows as Prisma Migrate does', async () => {
    const ours = await freshDatabase();
    const prismas = await freshDatabase();
    await applyMigrations({ databaseUrl: ours.url, migrationsDir: sqsPrismaPaths.migrationsDir });
    const migrations = await readMigrationsDirectory(sqsPrismaPaths.migrationsDir);
    const schemaFiles = await readSchemaFiles(sqsPrismaPaths.schemaDir);
    await withSchemaEngine({ databaseUrl: prismas.url, schemaFiles }, 'the compatibility test', (engine) =>
      engine.applyMigrations({ migrationsList: toMigrationList(migrations), filters: NO_FILTERS }),
    );

    expect(await tableColumns(ours.url, '_prisma_migrations')).toEqual(
      await tableColumns(prismas.url, '_prisma_migrations'),
    );
    const comparable = (rows: MigrationRecord[]) =>
      rows.map(({ checksum, migration_name, logs, rolled_back_at, applied_steps_count, finished_at }) => ({
        checksum,
        migration_name,
        logs,
        rolled_back_at,
        applied_steps_count,
        finished: finished_at !== null,
      }));
    expect(comparable(await migrationRows(ours.url))).toEqual(comparable(await migrationRows(prismas.url)));
    // And the same tables, columns and indexes.
    for (const table of ['sqs_inbox', 'sqs_outbox']) {
      expect(await tableColumns(ours.url, table)).toEqual(await tableColumns(prismas.url, table));
    }
    const indexes = (url: string) =>
      query(url, "SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'sqs_%' ORDER BY indexname");
    expect(await indexes(ours.url)).toEqual(await indexes(prismas.url));
  });
});
