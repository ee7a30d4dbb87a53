import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { sqsPrismaPaths } from '../paths.js';
import { createDatabase, startPostgres, type PostgresServer, type TestDatabase } from '../testing/postgres.js';
import { MIGRATE_USAGE, runMigrateCli } from './migrate-cli.js';
import { recordingIo } from '../../test/support/cli-io.js';

let server: PostgresServer;
let db: TestDatabase;

beforeAll(async () => {
  server = await startPostgres();
  db = await createDatabase(server.url, 'migrate_cli');
});

afterAll(async () => {
  await db?.drop();
  await server?.stop();
});

describe('sqs-prisma-migrate', () => {
  it('applies the migrations, then finds nothing to do; exit code 0 both times', async () => {
    const io = recordingIo();
    expect(await runMigrateCli(['--database-url', db.url, '--migrations', sqsPrismaPaths.migrationsDir], io)).toBe(0);
    expect(io.out).toContain('applied 20261127000000_sqs_inbox_outbox');

    const again = recordingIo({ DATABASE_URL: db.url });
    expect(await runMigrateCli(['--migrations', sqsPrismaPaths.migrationsDir], again)).toBe(0);
    expect(again.out).toContain('No pending migrations.');
  });

  it('prints the error code and exits 1 on failure, without printing the password', async () => {
    const io = recordingIo();
    const url = db.url.replace('postgres://postgres@', 'postgres://postgres:s3cret@');
    expect(await runMigrateCli(['--database-url', url, '--migrations', '/nonexistent'], io)).toBe(1);
    expect(io.err.join('\n')).toContain('error [MIGRATIONS_DIRECTORY_INVALID]');
    expect([...io.out, ...io.err].join('\n')).not.toContain('s3cret');
  });

  it('exits 2 with usage on bad arguments or no database, and 0 on --help', async () => {
    const bad = recordingIo();
    expect(await runMigrateCli(['--nope'], bad)).toBe(2);
    expect(bad.err.join('\n')).toContain('Usage: sqs-prisma-migrate');
    const noDb = recordingIo({});
    expect(await runMigrateCli([], noDb)).toBe(2);
    expect(noDb.err.join('\n')).toContain('pass --database-url or set DATABASE_URL');
    const help = recordingIo();
    expect(await runMigrateCli(['--help'], help)).toBe(0);
    expect(help.out).toEqual([MIGRATE_USAGE]);
  });

  it('rejects a non-numeric lock timeout with the option name', async () => {
    const io = recordingIo();
    expect(
      await runMigrateCli(
        ['--database-url', db.url, '--migrations', sqsPrismaPaths.migrationsDir, '--lock-timeout-ms', 'soon'],
        io,
      ),
    ).toBe(1);
    expect(io.err.join('\n')).toContain('"lockTimeoutMs"');
  });
});
