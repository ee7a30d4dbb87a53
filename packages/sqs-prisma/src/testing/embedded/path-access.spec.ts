import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, mkdir, mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstBlockedDirectory, mayEnter } from './path-access.js';

const owner = { uid: 1000, gid: 1000 };
const groupMember = { uid: 2000, gid: 1000 };
const stranger = { uid: 3000, gid: 3000 };

describe('mayEnter', () => {
  it('reads the owner bits for the owner, the group bits for the group, the other bits for everyone else', () => {
    const dir = { uid: 1000, gid: 1000, mode: 0o40_710 };
    expect(mayEnter(dir, owner)).toBe(true);
    expect(mayEnter(dir, groupMember)).toBe(true);
    expect(mayEnter(dir, stranger)).toBe(false);
  });

  it('does not fall back to the other bits when the owner bits deny (POSIX picks one class)', () => {
    expect(mayEnter({ uid: 1000, gid: 1000, mode: 0o40_011 }, owner)).toBe(false);
    expect(mayEnter({ uid: 1000, gid: 1000, mode: 0o40_701 }, groupMember)).toBe(false);
  });

  it('lets root in everywhere', () => {
    expect(mayEnter({ uid: 1000, gid: 1000, mode: 0o40_000 }, { uid: 0, gid: 0 })).toBe(true);
  });
});

describe('firstBlockedDirectory', () => {
  let base: string;
  let me: { uid: number; gid: number };
  let someoneElse: { uid: number; gid: number };

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'path-access-'));
    const info = await stat(base);
    me = { uid: info.uid, gid: info.gid };
    someoneElse = { uid: info.uid + 54_321, gid: info.gid + 54_321 };
    await chmod(base, 0o755);
  });

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('names the private folder another user cannot enter, and nothing for a path everyone can reach', async () => {
    const open = join(base, 'open');
    const privateDir = join(base, 'private');
    await mkdir(join(open, 'deep'), { recursive: true, mode: 0o755 });
    await mkdir(join(privateDir, 'repo', 'node_modules'), { recursive: true, mode: 0o755 });
    await chmod(privateDir, 0o700);
    expect(await firstBlockedDirectory(join(open, 'deep'), someoneElse)).toBeUndefined();
    expect(await firstBlockedDirectory(join(privateDir, 'repo', 'node_modules', 'x'), someoneElse)).toBe(privateDir);
    expect(await firstBlockedDirectory(join(privateDir, 'repo'), me)).toBeUndefined();
  });

  it('judges only the directories that exist, and follows symlinks to where they lead', async () => {
    const privateDir = join(base, 'private2');
    await mkdir(privateDir, { mode: 0o700 });
    await chmod(privateDir, 0o700);
    expect(await firstBlockedDirectory(join(base, 'not-yet', 'data'), someoneElse)).toBeUndefined();
    const link = join(base, 'link');
    await symlink(privateDir, link);
    expect(await firstBlockedDirectory(join(link, 'data'), someoneElse)).toBe(privateDir);
  });
});
