import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ensureDatabase, startEmbeddedPostgres } from './postgres.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

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
});
