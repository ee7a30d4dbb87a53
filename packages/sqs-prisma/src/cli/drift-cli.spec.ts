import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqsPrismaPaths } from '../paths.js';
import { startPostgres, type PostgresServer } from '../testing/postgres.js';
import { DRIFT_USAGE, runDriftCli } from './drift-cli.js';
import { recordingIo } from '../../test/support/cli-io.js';

let server: PostgresServer;
let root: string;

beforeAll(async () => {
  server = await startPostgres();
  // A service-shaped folder: prisma/schema (multi-file) and prisma/migrations, found by default.
  root = await mkdtemp(join(tmpdir(), 'sqs-prisma-drift-cli-'));
  await cp(sqsPrismaPaths.schemaDir, join(root, 'prisma', 'schema'), { recursive: true });
  await cp(sqsPrismaPaths.migrationsDir, join(root, 'prisma', 'migrations'), { recursive: true });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await server?.stop();
});

describe('sqs-prisma-drift', () => {
  it('exits 0 when in sync, finding ./prisma/schema and ./prisma/migrations by default', async () => {
    const io = recordingIo({ DATABASE_URL: server.url }, root);
    expect(await runDriftCli([], io)).toBe(0);
    expect(io.out.join('\n')).toContain('In sync');
  });

  it('exits 1 on drift, printing the differences and the SQL; --create-migration then writes it', async () => {
    const models = join(root, 'prisma', 'schema', 'sqs.prisma');
    await writeFile(
      models,
      (await readFile(models, 'utf8')).replace('@@map("sqs_inbox")', '@@index([leaseExpiresAt])\n  @@map("sqs_inbox")'),
    );
    const io = recordingIo({ DATABASE_URL: server.url }, root);

    expect(await runDriftCli([], io)).toBe(1);
    const printed = io.err.join('\n');
    expect(printed).toContain('Drift:');
    expect(printed).toContain('CREATE INDEX "sqs_inbox_lease_expires_at_idx"');

    const create = recordingIo({ DATABASE_URL: server.url }, root);
    expect(await runDriftCli(['--create-migration', 'lease_index'], create)).toBe(0);
    expect(create.out.join('\n')).toMatch(/Wrote .*_lease_index\/migration.sql/);
    expect((await readdir(join(root, 'prisma', 'migrations'))).some((name) => name.endsWith('_lease_index'))).toBe(
      true,
    );
    expect(await runDriftCli([], recordingIo({ DATABASE_URL: server.url }, root))).toBe(0);
  });

  it('accepts explicit paths and reports failures with their code', async () => {
    const io = recordingIo();
    expect(
      await runDriftCli(
        ['--schema', '/nonexistent.prisma', '--migrations', sqsPrismaPaths.migrationsDir, '--database-url', server.url],
        io,
      ),
    ).toBe(1);
    expect(io.err.join('\n')).toContain('error [SCHEMA_NOT_FOUND]');
  });

  it('exits 2 on bad arguments or no database, 0 on --help', async () => {
    expect(await runDriftCli(['--bogus'], recordingIo())).toBe(2);
    expect(await runDriftCli([], recordingIo({}))).toBe(2);
    const help = recordingIo();
    expect(await runDriftCli(['-h'], help)).toBe(0);
    expect(help.out).toEqual([DRIFT_USAGE]);
  });
});
