import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MigrationsDirectoryError } from './errors.js';

/** One migration folder of a Prisma migrations directory. */
export interface MigrationScript {
  /** The folder name, e.g. `20261127000000_sqs_inbox_outbox`; also `migration_name` in `_prisma_migrations`. */
  name: string;
  /** The content of its migration.sql. */
  script: string;
  /** SHA-256 of migration.sql, lower-case hex: what Prisma stores as `checksum`. */
  checksum: string;
}

/** A Prisma migrations directory, read from disk. */
export interface MigrationsDirectory {
  /** Absolute path. */
  path: string;
  /** Content of migration_lock.toml, or null when there is none. */
  lockfile: string | null;
  /** Migrations in the order Prisma applies them: by folder name. */
  migrations: MigrationScript[];
}

export const MIGRATION_LOCK_FILE = 'migration_lock.toml';
const MIGRATION_FILE = 'migration.sql';

/**
 * Reads a Prisma migrations directory: one sub-folder per migration, each with
 * a migration.sql, sorted by name as Prisma does. Folders whose names start
 * with a dot are ignored. A migration_lock.toml, when present, must name the
 * postgresql provider.
 */
export async function readMigrationsDirectory(directory: string): Promise<MigrationsDirectory> {
  const path = resolve(directory);
  let entries;
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch (error) {
    throw new MigrationsDirectoryError(path, 'it cannot be read', { cause: error });
  }
  const lockfile = await readOptional(join(path, MIGRATION_LOCK_FILE));
  if (lockfile !== null) {
    const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(lockfile)?.[1];
    if (provider !== 'postgresql') {
      throw new MigrationsDirectoryError(
        path,
        `${MIGRATION_LOCK_FILE} names provider "${provider ?? '(none)'}", not "postgresql"`,
      );
    }
  }
  const names = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort(compareNames);
  const migrations: MigrationScript[] = [];
  for (const name of names) {
    const script = await readOptional(join(path, name, MIGRATION_FILE));
    if (script === null) {
      throw new MigrationsDirectoryError(path, `folder "${name}" has no ${MIGRATION_FILE}`);
    }
    migrations.push({ name, script, checksum: migrationChecksum(script) });
  }
  return { path, lockfile, migrations };
}

/** SHA-256 of the script's UTF-8 bytes, lower-case hex, as Prisma computes `checksum`. */
export function migrationChecksum(script: string): string {
  return createHash('sha256').update(script, 'utf8').digest('hex');
}

/**
 * Whether `script` matches a checksum stored by any Prisma version: Prisma
 * also accepts the script with CRLF line endings normalised, and checksums
 * written by old versions that dropped leading zeros of each byte's hex.
 */
export function checksumMatches(script: string, storedChecksum: string): boolean {
  const variants = new Set([script, script.replaceAll('\r\n', '\n')]);
  for (const variant of variants) {
    const digest = createHash('sha256').update(variant, 'utf8').digest();
    if (digest.toString('hex') === storedChecksum) return true;
    if (Array.from(digest, (byte) => byte.toString(16)).join('') === storedChecksum) return true;
  }
  return false;
}

/** Byte-wise comparison, like Rust's `str::cmp` that Prisma uses (not locale-aware). */
function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
