import pg from 'pg';
import { sqsPrismaPaths } from '../../src/paths.js';
import {
  createMigratedDatabase,
  startPostgres,
  type PostgresServer,
  type TestDatabase,
} from '../../src/testing/index.js';

/** A server (DATABASE_URL's, or embedded) and a fresh database with this package's migrations. */
export async function migratedTestDatabase(
  name: string,
): Promise<{ server: PostgresServer; database: TestDatabase; close(): Promise<void> }> {
  const server = await startPostgres();
  const database = await createMigratedDatabase(server.url, sqsPrismaPaths.migrationsDir, name);
  return {
    server,
    database,
    close: async () => {
      await database.drop();
      await server.stop();
    },
  };
}

/** Runs one query on a short-lived connection. */
export async function query<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** How many sessions tagged `applicationName` are waiting on a lock. */
export async function sessionsWaitingOnLock(url: string, applicationName: string): Promise<number> {
  const rows = await query<{ n: string }>(
    url,
    "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND wait_event_type = 'Lock'",
    [applicationName],
  );
  return Number(rows[0]?.n ?? 0);
}
