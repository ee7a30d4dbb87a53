import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createDatabase, dropDatabase, startPostgres, type PostgresServer } from './postgres.js';
import pg from 'pg';
import { scalar } from './scalar.js';

describe('startPostgres', () => {
  it('uses the configured server when a URL is given, without connecting, and stop() leaves it alone', async () => {
    const external = await startPostgres({ databaseUrl: 'postgres://postgres@db.example:5432/postgres' });
    expect(external).toMatchObject({ url: 'postgres://postgres@db.example:5432/postgres', embedded: false });
    await external.stop();
  });

  it('rejects a URL that is not PostgreSQL', async () => {
    await expect(startPostgres({ databaseUrl: 'mysql://localhost/x' })).rejects.toThrow('"databaseUrl"');
  });

  it('starts an embedded server when forced (or when DATABASE_URL is unset), and removes it on stop()', async () => {
    const server = await startPostgres({ forceEmbedded: true });
    try {
      expect(server.embedded).toBe(true);
      expect(await scalar(server.url, 'SELECT 1 + 1')).toBe(2);
      const db = await createDatabase(server.url, 'embedded');
      expect(await scalar(db.url, 'SELECT current_database()')).toBe(db.name);
      await db.drop();
    } finally {
      await server.stop();
      await server.stop();
    }
    await expect(scalar(server.url, 'SELECT 1')).rejects.toThrow();
  }, 120_000);
});

describe('createDatabase', () => {
  let server: PostgresServer;
  let serverUrl: string;

  beforeAll(async () => {
    server = await startPostgres();
    serverUrl = server.url;
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('creates a new, uniquely named database each time, and drops it (idempotently)', async () => {
    const a = await createDatabase(serverUrl, 'My Suite!');
    const b = await createDatabase(serverUrl, 'My Suite!');
    try {
      expect(a.name).toMatch(/^my_suite__[a-z0-9]+_[0-9a-f]{8}$/);
      expect(a.name).not.toBe(b.name);
      expect(await scalar(a.url, 'SELECT current_database()')).toBe(a.name);
    } finally {
      await a.drop();
      await a.drop();
      await b.drop();
    }
    expect(
      await scalar(serverUrl, `SELECT count(*)::int FROM pg_database WHERE datname IN ('${a.name}', '${b.name}')`),
    ).toBe(0);
  });

  it('drops a database even while sessions are connected to it', async () => {
    const db = await createDatabase(serverUrl);
    const session = new pg.Client({ connectionString: db.url });
    session.on('error', () => undefined);
    await session.connect();
    await dropDatabase(serverUrl, db.name);
    await session.end().catch(() => undefined);
    expect(await scalar(serverUrl, `SELECT count(*)::int FROM pg_database WHERE datname = '${db.name}'`)).toBe(0);
  });
});
