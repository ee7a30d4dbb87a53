import { query } from './database.js';

/** The business table of the exactly-once tests: one row per handler execution that committed. */
export async function createEffectsTable(url: string): Promise<void> {
  await query(url, 'CREATE TABLE effects (seq bigserial PRIMARY KEY, event_id text NOT NULL, note text NOT NULL)');
}

export async function effects(url: string): Promise<Array<{ event_id: string; note: string }>> {
  return query<{ event_id: string; note: string }>(url, 'SELECT event_id, note FROM effects ORDER BY seq');
}
