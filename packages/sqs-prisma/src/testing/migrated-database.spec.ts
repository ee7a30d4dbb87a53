import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sqsPrismaPaths } from '../paths.js';
import { createMigratedDatabase } from './migrated-database.js';
import { startPostgres, type PostgresServer } from './postgres.js';

let server: PostgresServer;

beforeAll(async () => {
  server = await startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

describe('createMigratedDatabase', () => {
  it('creates a database with the migrations applied', async () => {
    const db = await createMigratedDatabase(server.url, sqsPrismaPaths.migrationsDir, 'migrated');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT to_regclass('sqs_outbox') IS NOT NULL AS ok");
      expect(rows).toEqual([{ ok: true }]);
    } finally {
      await client.end();
      await db.drop();
    }
  });

  it('drops the database again when a migration fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sqs-prisma-bad-'));
    try {
      await mkdir(join(dir, '20270101000000_bad'));
      await writeFile(join(dir, '20270101000000_bad', 'migration.sql'), 'NOT SQL;');
      const prefix = `bad_${randomBytes(4).toString('hex')}`;
      await expect(createMigratedDatabase(server.url, dir, prefix)).rejects.toMatchObject({ code: 'MIGRATION_FAILED' });
      expect(await countDatabases(`${prefix}_`)).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

async function countDatabases(prefix: string): Promise<number> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE $1',
      [`${prefix}%`],
    );
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}
