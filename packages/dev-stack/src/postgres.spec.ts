import { afterAll, describe, expect, it } from '@jest/globals';
import { chmod, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@sqsref/sqs-transport/testing';
import pg from 'pg';
import {
  ensureDatabase,
  postgresDataDir,
  RELOCATED_DATA_ROOT,
  removePostgresData,
  startEmbeddedPostgres,
} from './postgres.js';

async function sql<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL of the stack', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('keeps its data between starts, refuses a second server on the same directory, and leaves no process behind', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'stack-pg-'));
    dirs.push(dataDir);
    const port = await freePort();

    const first = await startEmbeddedPostgres(dataDir, port);
    const url = await ensureDatabase(first.url, 'orders');
    expect(await ensureDatabase(first.url, 'orders')).toBe(url); // idempotent
    await sql(url, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('survives a restart')");
    await expect(startEmbeddedPostgres(dataDir, await freePort())).rejects.toMatchObject({
      code: 'STACK_POSTGRES_FAILED',
    });
    await first.stop();
    await expect(sql(url, 'SELECT 1')).rejects.toThrow();

    const second = await startEmbeddedPostgres(dataDir, port);
    try {
      expect(await sql(url, 'SELECT note FROM kept')).toEqual([{ note: 'survives a restart' }]);
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('as root with the checkout in a private (700) folder, keeps the data where the postgres user can reach it, and reset removes it there', async () => {
    if (process.getuid?.() !== 0) return; // only root runs PostgreSQL as another user
    const privateDir = await mkdtemp(join(tmpdir(), 'stack-private-'));
    dirs.push(privateDir);
    await chmod(privateDir, 0o700);
    const dataDir = join(privateDir, 'repo', '.data');
    const databaseDir = await postgresDataDir(dataDir);
    expect(databaseDir.startsWith(`${RELOCATED_DATA_ROOT}/`)).toBe(true);
    expect(await postgresDataDir(dataDir)).toBe(databaseDir); // the same checkout finds the same place

    const server = await startEmbeddedPostgres(dataDir, await freePort());
    try {
      expect(server.databaseDir).toBe(databaseDir);
      expect(await sql(server.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await server.stop();
    }
    await removePostgresData(dataDir);
    await expect(stat(join(databaseDir, '..'))).rejects.toThrow();

    const openDir = await mkdtemp(join(tmpdir(), 'stack-open-'));
    dirs.push(openDir);
    await chmod(openDir, 0o755);
    await mkdir(join(openDir, '.data'));
    expect(await postgresDataDir(join(openDir, '.data'))).toBe(join(openDir, '.data', 'postgres'));
  }, 60_000);
});
