import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { ColumnTypeEnum } from '@prisma/driver-adapter-utils';
import { createMigrationAdapterFactory } from './pg-migration-adapter.js';
import { createDatabase, startPostgres, type PostgresServer, type TestDatabase } from '../testing/postgres.js';
import { query } from '../../test/support/database.js';

let server: PostgresServer;
let db: TestDatabase;

beforeAll(async () => {
  server = await startPostgres();
  db = await createDatabase(server.url, 'adapter');
});

afterAll(async () => {
  await db?.drop();
  await server?.stop();
});

const sql = (text: string) => ({ sql: text, args: [], argTypes: [] });

describe('createMigrationAdapterFactory', () => {
  it('reports pg_catalog "char" columns as Character (adapter-pg cannot read them)', async () => {
    const adapters = createMigrationAdapterFactory(db.url);
    try {
      const adapter = await adapters.factory.connect();
      const result = await adapter.queryRaw(sql("SELECT 'p'::\"char\" AS kind, 'text' AS name"));
      expect(result.columnTypes).toEqual([ColumnTypeEnum.Character, ColumnTypeEnum.Text]);
      expect(result.rows).toEqual([['p', 'text']]);

      const tx = await adapter.startTransaction();
      const inTx = await tx.queryRaw(sql('SELECT \'c\'::"char" AS kind'));
      await tx.rollback();
      expect(inTx.columnTypes).toEqual([ColumnTypeEnum.Character]);
    } finally {
      await adapters.close();
    }
  });

  it('runs a script as one query, so function bodies with semicolons survive', async () => {
    const adapters = createMigrationAdapterFactory(db.url);
    try {
      const adapter = await adapters.factory.connect();
      await adapter.executeScript(`
        CREATE FUNCTION two() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1 + 1; END; $$;
        CREATE TABLE semi (note text DEFAULT 'a;b');`);
      expect(await query(db.url, 'SELECT two() AS v')).toEqual([{ v: 2 }]);
      await expect(adapter.executeScript('SELECT * FROM missing_table')).rejects.toMatchObject({
        name: 'DriverAdapterError',
        cause: { kind: 'postgres', code: '42P01' },
      });
    } finally {
      await adapters.close();
    }
  });

  it('creates a uniquely named shadow database and drops it when disposed, or on close', async () => {
    const adapters = createMigrationAdapterFactory(db.url);
    const nameOf = async (adapter: Awaited<ReturnType<typeof adapters.factory.connectToShadowDb>>) =>
      (await adapter.queryRaw(sql('SELECT current_database() AS name'))).rows[0]?.[0] as string;
    const existing = async (names: string[]) =>
      (
        await query<{ datname: string }>(server.url, 'SELECT datname FROM pg_database WHERE datname = ANY($1)', [names])
      ).map((r) => r.datname);
    let names: string[] = [];
    try {
      const first = await adapters.factory.connectToShadowDb();
      const second = await adapters.factory.connectToShadowDb();
      names = [await nameOf(first), await nameOf(second)];
      expect(names[0]).toMatch(/^prisma_migrate_shadow_db_[0-9a-f-]{36}$/);
      expect(names[0]).not.toBe(names[1]);

      await first.dispose();
      await first.dispose();
      expect(await existing(names)).toEqual([names[1]]);
    } finally {
      await adapters.close();
    }
    expect(await existing(names)).toEqual([]);
  });
});
