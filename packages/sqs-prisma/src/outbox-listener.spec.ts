import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { OUTBOX_CHANNEL, OutboxListener } from './outbox-listener.js';
import { migratedTestDatabase, query } from '../test/support/database.js';
import { settlesWithin, waitUntil } from '../test/support/wait.js';

let env: Awaited<ReturnType<typeof migratedTestDatabase>>;

beforeAll(async () => {
  env = await migratedTestDatabase('outbox_listener');
});

afterAll(async () => {
  await env?.close();
});

const never = new AbortController().signal;

async function insertRow(): Promise<void> {
  await query(env.database.url, "INSERT INTO sqs_outbox (id, queue, body) VALUES (gen_random_uuid()::text, 'q', '{}')");
}

describe('OutboxListener', () => {
  it('listens on the channel the migration trigger notifies', async () => {
    const listener = new OutboxListener(env.database.url);
    try {
      await listener.wait(10_000, never); // returns once listening
      expect(listener.listening).toBe(true);
      const woke = listener.wait(60_000, never);
      await query(env.database.url, `NOTIFY ${OUTBOX_CHANNEL}`);
      await woke;
    } finally {
      await listener.close();
    }
  });

  it('reconnects after losing its connection, and then wakes at once, since rows committed meanwhile sent no NOTIFY it heard', async () => {
    const listener = new OutboxListener(env.database.url);
    try {
      await listener.wait(10_000, never);
      await query(
        env.database.url,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sqs-outbox-listener' AND datname = current_database()",
      );
      await waitUntil(() => !listener.listening, 'the listener notices the lost connection');
      await insertRow();

      // This wait reconnects, and returns as soon as it listens again (long before its timeout), because the row
      // inserted while it was down notified nobody.
      expect(await settlesWithin(listener.wait(60_000, never), 10_000)).toBe(true);
      expect(listener.listening).toBe(true);
      const woke = listener.wait(60_000, never);
      await insertRow();
      expect(await settlesWithin(woke, 10_000)).toBe(true);
    } finally {
      await listener.close();
    }
  });

  it('only times out (never rejects) while the server is unreachable', async () => {
    const listener = new OutboxListener('postgres://postgres@127.0.0.1:1/postgres');
    try {
      const started = Date.now();
      await listener.wait(100, never);
      expect(Date.now() - started).toBeGreaterThanOrEqual(90);
      await listener.settled();
      expect(listener.listening).toBe(false);
    } finally {
      await listener.close();
    }
  });

  it('resolves waiting calls on abort and on close', async () => {
    const listener = new OutboxListener(env.database.url);
    await listener.wait(10_000, never);
    const controller = new AbortController();
    const aborted = listener.wait(60_000, controller.signal);
    controller.abort();
    await aborted;

    const closing = listener.wait(60_000, never);
    await listener.close();
    await closing;
    expect(listener.listening).toBe(false);
  });
});
