import { describe, it, expect, afterEach } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MigrationsDirectoryError } from './errors.js';
import { checksumMatches, migrationChecksum, readMigrationsDirectory } from './migrations-directory.js';

const created: string[] = [];

afterEach(async () => {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sqs-prisma-migrations-'));
  created.push(dir);
  return dir;
}

async function addMigration(dir: string, name: string, sql: string): Promise<void> {
  await mkdir(join(dir, name), { recursive: true });
  await writeFile(join(dir, name, 'migration.sql'), sql);
}

describe('readMigrationsDirectory', () => {
  it('lists migration folders sorted by name, with their scripts and checksums', async () => {
    const dir = await tempDir();
    await addMigration(dir, '20250102000000_second', 'SELECT 2;');
    await addMigration(dir, '20250101000000_first', 'SELECT 1;');
    await mkdir(join(dir, '.hidden'));
    await writeFile(join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');

    const result = await readMigrationsDirectory(dir);

    expect(result.migrations.map((m) => m.name)).toEqual(['20250101000000_first', '20250102000000_second']);
    expect(result.migrations[0]).toEqual({
      name: '20250101000000_first',
      script: 'SELECT 1;',
      checksum: createHash('sha256').update('SELECT 1;').digest('hex'),
    });
    expect(result.lockfile).toContain('postgresql');
  });

  it('rejects a folder without migration.sql, naming it', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, '20250101000000_empty'));
    await expect(readMigrationsDirectory(dir)).rejects.toThrow('folder "20250101000000_empty" has no migration.sql');
  });

  it('rejects a lockfile for another provider', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'migration_lock.toml'), 'provider = "mysql"\n');
    await expect(readMigrationsDirectory(dir)).rejects.toBeInstanceOf(MigrationsDirectoryError);
  });

  it('rejects a directory that does not exist, with a stable code', async () => {
    const error = await readMigrationsDirectory('/nonexistent/sqs-prisma').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationsDirectoryError);
    expect((error as MigrationsDirectoryError).code).toBe('MIGRATIONS_DIRECTORY_INVALID');
  });

  it('reads the package migrations', async () => {
    const result = await readMigrationsDirectory(new URL('../prisma/migrations', import.meta.url).pathname);
    expect(result.migrations.map((m) => m.name)).toEqual(['20261127000000_sqs_inbox_outbox']);
  });
});

describe('checksumMatches', () => {
  it('matches the exact checksum and the CRLF-normalised one', () => {
    expect(checksumMatches('SELECT 1;\n', migrationChecksum('SELECT 1;\n'))).toBe(true);
    expect(checksumMatches('SELECT 1;\r\n', migrationChecksum('SELECT 1;\n'))).toBe(true);
    expect(checksumMatches('SELECT 2;\n', migrationChecksum('SELECT 1;\n'))).toBe(false);
  });

  it("matches old Prisma checksums that dropped each byte's leading zero", () => {
    const digest = createHash('sha256').update('SELECT 1;').digest();
    const legacy = Array.from(digest, (byte) => byte.toString(16)).join('');
    expect(checksumMatches('SELECT 1;', legacy)).toBe(true);
  });
});
