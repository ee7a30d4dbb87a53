import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@sqsref/sqs-transport/testing';
import { scalar } from '../scalar.js';
import { startEmbeddedPostgres } from './embedded-server.js';

describe('startEmbeddedPostgres', () => {
  let base: string;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'embedded-pg-'));
    await chmod(base, 0o755);
  });

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('initialises a persistent cluster with a password, listens on 127.0.0.1 only, and keeps data across restarts', async () => {
    const databaseDir = join(base, 'persistent');
    const port = await freePort();
    const options = { databaseDir, port, password: 's3cret/with:chars', persistent: true };
    const first = await startEmbeddedPostgres(options);
    try {
      expect(await scalar(first.url, 'SHOW listen_addresses')).toBe('127.0.0.1');
      await scalar(first.url, 'CREATE TABLE kept (id int)');
      await scalar(first.url, 'INSERT INTO kept VALUES (42)');
      await expect(scalar(first.url.replace('s3cret', 'wrong'), 'SELECT 1')).rejects.toThrow(/password/);
    } finally {
      await first.stop();
    }
    const second = await startEmbeddedPostgres(options);
    try {
      expect(await scalar(second.url, 'SELECT id FROM kept')).toBe(42);
    } finally {
      await second.stop();
      await second.stop();
    }
    expect((await stat(join(databaseDir, 'PG_VERSION'))).isFile()).toBe(true);
  }, 120_000);

  it('deletes a throw-away cluster on stop()', async () => {
    const databaseDir = join(base, 'throwaway');
    const server = await startEmbeddedPostgres({ databaseDir, port: await freePort(), password: 'x' });
    expect(await scalar(server.url, 'SELECT 1 + 1')).toBe(2);
    await server.stop();
    await expect(stat(databaseDir)).rejects.toThrow();
  }, 120_000);

  it('fails at once, naming the folder, when root would put the data where the postgres user cannot go', async () => {
    if (process.getuid?.() !== 0) return; // a normal user runs PostgreSQL as itself and reaches its own folders
    const privateDir = join(base, 'private');
    await mkdir(privateDir, { mode: 0o700 });
    await chmod(privateDir, 0o700);
    await expect(
      startEmbeddedPostgres({ databaseDir: join(privateDir, 'data'), port: await freePort(), password: 'x' }),
    ).rejects.toThrow(`cannot enter ${privateDir}`);
  });

  it('reports the last log lines when the server cannot start (port taken)', async () => {
    const holder = await startEmbeddedPostgres({
      databaseDir: join(base, 'holder'),
      port: await freePort(),
      password: 'x',
    });
    try {
      const port = Number(new URL(holder.url).port);
      await expect(
        startEmbeddedPostgres({ databaseDir: join(base, 'clash'), port, password: 'x', startTimeoutMs: 30_000 }),
      ).rejects.toThrow(/exited during start[\s\S]*(could not|already in use)/);
    } finally {
      await holder.stop();
    }
  }, 120_000);
});
