import pg from 'pg';

/** Runs one statement on `url` with a fresh connection and returns the first column of its first row. */
export async function scalar(url: string, sql: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Object.values((await client.query(sql)).rows[0] ?? {})[0];
  } finally {
    await client.end();
  }
}
