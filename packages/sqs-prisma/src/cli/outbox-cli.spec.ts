import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { migratedTestDatabase, query } from '../../test/support/database.js';
import { recordingIo } from '../../test/support/cli-io.js';
import { OUTBOX_USAGE, runOutboxCli } from './outbox-cli.js';

let env: Awaited<ReturnType<typeof migratedTestDatabase>>;

beforeAll(async () => {
  env = await migratedTestDatabase('outbox_cli');
});

afterAll(async () => {
  await env?.close();
});

beforeEach(async () => {
  await query(env.database.url, 'DELETE FROM sqs_outbox');
  // a1 parked heads its group; a2 waits behind it; b1 parked alone; c1 sent.
  for (const [id, group, status] of [
    ['a1', 'g-a', 'parked'],
    ['a2', 'g-a', 'pending'],
    ['b1', 'g-b', 'parked'],
    ['c1', 'g-c', 'sent'],
  ] as const) {
    await query(
      env.database.url,
      `INSERT INTO sqs_outbox (id, queue, group_id, body, attributes, status, attempts, last_error)
       VALUES ($1, 'order-events.fifo', $2, '{}', '{"type":"order.placed"}', $3, $4, $5)`,
      [id, group, status, status === 'parked' ? 8 : 0, status === 'parked' ? 'AccessDenied: not allowed' : null],
    );
  }
});

const statuses = async (): Promise<Record<string, string>> =>
  Object.fromEntries(
    (await query<{ id: string; status: string }>(env.database.url, 'SELECT id, status FROM sqs_outbox')).map((row) => [
      row.id,
      row.status,
    ]),
  );

describe('sqs-prisma-outbox', () => {
  it('lists the parked rows of each database, oldest first, with type, attempts and last error', async () => {
    const io = recordingIo();
    expect(await runOutboxCli(['--database', `orders=${env.database.url}`, '--json'], io)).toBe(0);
    const [result] = JSON.parse(io.out.join('')) as Array<{ database: string; parked: Array<Record<string, unknown>> }>;
    expect(result?.database).toBe('orders');
    expect(result?.parked.map((row) => [row.id, row.type, row.attempts, row.lastError])).toEqual([
      ['a1', 'order.placed', 8, 'AccessDenied: not allowed'],
      ['b1', 'order.placed', 8, 'AccessDenied: not allowed'],
    ]);
    expect(await statuses()).toEqual({ a1: 'parked', a2: 'pending', b1: 'parked', c1: 'sent' });
  });

  it('--retry --id re-queues that row only, with a fresh retry budget; --retry re-queues the rest', async () => {
    const io = recordingIo({ DATABASE_URL: env.database.url });
    expect(await runOutboxCli(['--retry', '--id', 'a1'], io)).toBe(0);
    expect(io.out[0]).toBe('default: 2 parked, 1 re-queued');
    expect(await statuses()).toEqual({ a1: 'pending', a2: 'pending', b1: 'parked', c1: 'sent' });
    const [row] = await query<{ attempts: number; due: boolean }>(
      env.database.url,
      "SELECT attempts, next_attempt_at <= now() AS due FROM sqs_outbox WHERE id = 'a1'",
    );
    expect(row).toEqual({ attempts: 0, due: true });

    expect(await runOutboxCli(['--retry'], recordingIo({ DATABASE_URL: env.database.url }))).toBe(0);
    expect(await statuses()).toEqual({ a1: 'pending', a2: 'pending', b1: 'pending', c1: 'sent' });
  });

  it('an id that is not parked: NO_SUCH_ROW, exit 1', async () => {
    const io = recordingIo({ DATABASE_URL: env.database.url });
    expect(await runOutboxCli(['--retry', '--id', 'c1'], io)).toBe(1);
    expect(io.err).toEqual(['error [NO_SUCH_ROW]: no parked outbox row "c1" in default.']);
  });

  it('bad arguments exit 2; an unreachable database or one without the table exit 1, each with one line', async () => {
    for (const args of [[], ['--id', 'a1'], ['--database', 'nourl'], ['--limit', '0'], ['--bogus']]) {
      const io = recordingIo();
      expect(await runOutboxCli(args, io)).toBe(2);
      expect(io.err).toHaveLength(1);
      expect(io.err[0]).toMatch(/^error \[USAGE\]: /);
    }
    const unreachable = recordingIo();
    expect(await runOutboxCli(['--database', 'x=postgres://nobody@127.0.0.1:1/none'], unreachable)).toBe(1);
    expect(unreachable.err).toEqual([
      expect.stringMatching(/^error \[DATABASE_UNREACHABLE\]: database "x": cannot connect/),
    ]);
    const bare = recordingIo();
    expect(await runOutboxCli(['--database', `s=${env.server.url}`], bare)).toBe(1);
    expect(bare.err).toEqual([
      expect.stringMatching(/^error \[NO_OUTBOX_TABLE\]: database "s": it has no sqs_outbox table/),
    ]);
    const help = recordingIo();
    expect(await runOutboxCli(['--help'], help)).toBe(0);
    expect(help.out).toEqual([OUTBOX_USAGE]);
  });
});
