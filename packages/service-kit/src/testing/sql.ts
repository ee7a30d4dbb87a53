import pg from 'pg';

/** One row of a query result, as plain values. */
export type Row = Record<string, unknown>;

/**
 * Runs one query on a short-lived connection, for tests that look into a service's database (counts, states) from
 * the outside, without the service's generated client.
 */
export async function query<T extends Row = Row>(
  databaseUrl: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}
