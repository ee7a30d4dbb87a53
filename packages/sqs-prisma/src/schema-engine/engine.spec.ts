import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { SchemaEngineError } from '../errors.js';
import { NO_FILTERS, toMigrationList, toSchemasContainer, withSchemaEngine } from './engine.js';
import { readMigrationsDirectory } from '../migrations-directory.js';
import { sqsPrismaPaths } from '../paths.js';
import { readSchemaFiles } from '../schema-files.js';
import { startPostgres, type PostgresServer } from '../testing/postgres.js';

let server: PostgresServer;

beforeAll(async () => {
  server = await startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

describe('withSchemaEngine', () => {
  it("runs Prisma's WebAssembly schema engine offline: the schema, diffed from empty, is the package migration", async () => {
    const schemaFiles = await readSchemaFiles(sqsPrismaPaths.schemaDir);
    const result = await withSchemaEngine({ databaseUrl: server.url, schemaFiles }, 'a test', (engine) =>
      engine.diff({
        from: { tag: 'empty' },
        to: { tag: 'schemaDatamodel', ...toSchemasContainer(schemaFiles) },
        script: true,
        exitCode: true,
        filters: NO_FILTERS,
      }),
    );
    const migration = (await readMigrationsDirectory(sqsPrismaPaths.migrationsDir)).migrations[0]?.script ?? '';
    expect(result.exitCode).toBe(2);
    // The generated part of the migration is exactly what Prisma generates (the hand-written part follows it).
    const generated = (result.stdout ?? '').replace(/^-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n/, '');
    expect(migration.startsWith(generated.trimEnd())).toBe(true);
  });

  it('wraps engine failures in SchemaEngineError, naming the operation', async () => {
    const schemaFiles = [
      {
        path: 'schema.prisma',
        content: 'datasource db {\n  provider = "postgresql"\n}\nmodel A {\n  id Int @id\n  b Nope\n}\n',
      },
    ];
    const error = await withSchemaEngine({ databaseUrl: server.url, schemaFiles }, 'the test diff', (engine) =>
      engine.diff({
        from: { tag: 'empty' },
        to: { tag: 'schemaDatamodel', ...toSchemasContainer(schemaFiles) },
        script: true,
        exitCode: null,
        filters: NO_FILTERS,
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaEngineError);
    expect((error as Error).message).toMatch(/^Prisma's schema engine failed during the test diff: .*Nope/s);
  });

  it('rethrows errors of the callback that are already SchemaEngineErrors', async () => {
    const own = new SchemaEngineError('inner', { cause: new Error('x') });
    const schemaFiles = await readSchemaFiles(sqsPrismaPaths.schemaDir);
    await expect(
      withSchemaEngine({ databaseUrl: server.url, schemaFiles }, 'outer', async () => {
        throw own;
      }),
    ).rejects.toBe(own);
  });
});

describe('toMigrationList', () => {
  it('describes each migration folder with its script', async () => {
    const list = toMigrationList(await readMigrationsDirectory(sqsPrismaPaths.migrationsDir));
    expect(list.lockfile).toEqual({ path: 'migration_lock.toml', content: expect.stringContaining('postgresql') });
    expect(list.migrationDirectories).toEqual([
      {
        path: '20261127000000_sqs_inbox_outbox',
        migrationFile: {
          path: 'migration.sql',
          content: { tag: 'ok', value: expect.stringContaining('CREATE TABLE "sqs_outbox"') },
        },
      },
    ]);
  });
});
