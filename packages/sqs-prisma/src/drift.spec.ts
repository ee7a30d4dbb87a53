import { describe, it, expect, beforeAll, afterAll, afterEach } from '@jest/globals';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertNoDrift, checkDrift, createMigration } from './drift.js';
import { SchemaDriftError, SchemaEngineError } from './errors.js';
import { applyMigrations } from './migrate.js';
import { sqsPrismaPaths } from './paths.js';
import { createDatabase, startPostgres, type PostgresServer } from './testing/postgres.js';
import { query } from '../test/support/database.js';

let server: PostgresServer;
const dirs: string[] = [];

beforeAll(async () => {
  server = await startPostgres();
});

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

afterAll(async () => {
  await server?.stop();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sqs-prisma-drift-'));
  dirs.push(dir);
  return dir;
}

const DATASOURCE = 'datasource db {\n  provider = "postgresql"\n}\n';

/** A copy of the package schema folder and migrations that a test may edit. */
async function packageCopy(): Promise<{ schemaDir: string; migrationsDir: string }> {
  const root = await tempDir();
  await cp(sqsPrismaPaths.schemaDir, join(root, 'schema'), { recursive: true });
  await cp(sqsPrismaPaths.migrationsDir, join(root, 'migrations'), { recursive: true });
  return { schemaDir: join(root, 'schema'), migrationsDir: join(root, 'migrations') };
}

describe('checkDrift', () => {
  it("passes on this package's schema and migrations", async () => {
    const report = await checkDrift({
      schemaPath: sqsPrismaPaths.schemaDir,
      migrationsDir: sqsPrismaPaths.migrationsDir,
      databaseUrl: server.url,
    });
    expect(report).toEqual({ inSync: true, summary: '', script: '' });
  });

  it('catches a model edited without a migration, and gives the SQL of the missing migration', async () => {
    const { schemaDir, migrationsDir } = await packageCopy();
    const models = join(schemaDir, 'sqs.prisma');
    await writeFile(
      models,
      (await readFile(models, 'utf8')).replace(
        '  sentAt          DateTime?',
        '  traceId         String?   @map("trace_id")\n  sentAt          DateTime?',
      ),
    );

    const report = await checkDrift({ schemaPath: schemaDir, migrationsDir, databaseUrl: server.url });

    expect(report.inSync).toBe(false);
    expect(report.summary).toContain('[*] Changed the `sqs_outbox` table');
    expect(report.summary).toContain('[+] Added column `trace_id`');
    expect(report.script).toContain('ALTER TABLE "sqs_outbox" ADD COLUMN     "trace_id" TEXT;');
    const error = await assertNoDrift({ schemaPath: schemaDir, migrationsDir, databaseUrl: server.url }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SchemaDriftError);
    expect(error).toMatchObject({ code: 'SCHEMA_DRIFT' });
    expect((error as Error).message).toContain('trace_id');
  });

  it('catches a migration the schema does not describe (an index added only in SQL)', async () => {
    const { schemaDir, migrationsDir } = await packageCopy();
    await cp(
      join(migrationsDir, '20261127000000_sqs_inbox_outbox'),
      join(migrationsDir, '20270101000000_extra_index'),
      { recursive: true },
    );
    await writeFile(
      join(migrationsDir, '20270101000000_extra_index', 'migration.sql'),
      'CREATE INDEX "sqs_outbox_queue_idx" ON "sqs_outbox"("queue");\n',
    );

    const report = await checkDrift({ schemaPath: schemaDir, migrationsDir, databaseUrl: server.url });

    expect(report.inSync).toBe(false);
    expect(report.script).toContain('DROP INDEX "sqs_outbox_queue_idx"');
  });

  it('reports an invalid schema as a schema engine failure with a stable code', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'schema.prisma'), `${DATASOURCE}model Broken {\n  id Int\n}\n`);
    const error = await checkDrift({
      schemaPath: join(dir, 'schema.prisma'),
      migrationsDir: sqsPrismaPaths.migrationsDir,
      databaseUrl: server.url,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaEngineError);
    expect(error).toMatchObject({ code: 'SCHEMA_ENGINE_FAILED' });
  });

  it('validates its options', async () => {
    await expect(checkDrift({ schemaPath: '', migrationsDir: 'x', databaseUrl: server.url })).rejects.toThrow(
      '"schemaPath"',
    );
    await expect(checkDrift({ schemaPath: 'x', migrationsDir: 'x', databaseUrl: 'nope' })).rejects.toThrow(
      '"databaseUrl"',
    );
  });
});

describe('a service that includes the sqs models (single-file schema)', () => {
  it('copies the models file and the migration folder, adds its own model, and stays in sync with createMigration', async () => {
    const root = await tempDir();
    const schemaPath = join(root, 'schema.prisma');
    const migrationsDir = join(root, 'migrations');
    const models = await readFile(sqsPrismaPaths.modelsFile, 'utf8');
    const own = 'model Order {\n  id     String @id\n  status String\n\n  @@map("orders")\n}\n';
    await writeFile(
      schemaPath,
      `generator client {\n  provider = "prisma-client"\n  output   = "./generated"\n}\n\n${DATASOURCE}\n${own}\n${models}`,
    );
    await cp(sqsPrismaPaths.migrationsDir, migrationsDir, { recursive: true });

    // The orders table has no migration yet: drift, until the service writes one.
    expect((await checkDrift({ schemaPath, migrationsDir, databaseUrl: server.url })).inSync).toBe(false);
    const folder = await createMigration({
      schemaPath,
      migrationsDir,
      databaseUrl: server.url,
      name: 'orders',
      now: new Date('2027-03-04T05:06:07Z'),
    });

    expect(folder).toBe('20270304050607_orders');
    expect(await readFile(join(migrationsDir, folder as string, 'migration.sql'), 'utf8')).toContain(
      'CREATE TABLE "orders"',
    );
    expect((await checkDrift({ schemaPath, migrationsDir, databaseUrl: server.url })).inSync).toBe(true);
    expect(await createMigration({ schemaPath, migrationsDir, databaseUrl: server.url, name: 'nothing' })).toBeNull();
    expect((await readdir(migrationsDir)).sort()).toEqual([
      '20261127000000_sqs_inbox_outbox',
      '20270304050607_orders',
      'migration_lock.toml',
    ]);

    const db = await createDatabase(server.url, 'service');
    try {
      expect((await applyMigrations({ databaseUrl: db.url, migrationsDir })).applied).toEqual([
        '20261127000000_sqs_inbox_outbox',
        '20270304050607_orders',
      ]);
      expect(await query(db.url, "SELECT to_regclass('orders') IS NOT NULL AS ok")).toEqual([{ ok: true }]);
    } finally {
      await db.drop();
    }
  });

  it('rejects a migration name that is not a plain identifier', async () => {
    await expect(
      createMigration({
        schemaPath: sqsPrismaPaths.schemaDir,
        migrationsDir: sqsPrismaPaths.migrationsDir,
        databaseUrl: server.url,
        name: '../up',
      }),
    ).rejects.toThrow('"name": must be 1 to 200 letters, digits or underscores');
  });
});
