import type { Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * The user and primary group a process runs as. Node drops supplementary groups when it spawns a child with
 * `uid`/`gid`, so the primary group is the only group that counts for such a child.
 */
export interface OsIdentity {
  uid: number;
  gid: number;
}

/**
 * The first existing directory on the way to `path` (itself included) that `identity` may not enter (no search
 * permission), or `undefined` when every existing directory on the way lets it through. Directories that do not
 * exist yet are not judged: whoever creates them sets their mode. Root enters everything.
 */
export async function firstBlockedDirectory(path: string, identity: OsIdentity): Promise<string | undefined> {
  if (identity.uid === 0) return undefined;
  for (const directory of await existingDirectoriesOnTheWay(path)) {
    const info = await stat(directory);
    if (!mayEnter(info, identity)) return directory;
  }
  return undefined;
}

/** Whether `identity` may enter (search) a directory with these owner, group and mode bits. */
export function mayEnter(info: Pick<Stats, 'uid' | 'gid' | 'mode'>, identity: OsIdentity): boolean {
  if (identity.uid === 0) return true;
  if (info.uid === identity.uid) return (info.mode & 0o100) !== 0;
  if (info.gid === identity.gid) return (info.mode & 0o010) !== 0;
  return (info.mode & 0o001) !== 0;
}

/** `/`, then each directory down to the deepest existing one on the way to `path`, symlinks resolved. */
async function existingDirectoriesOnTheWay(path: string): Promise<string[]> {
  let deepest = resolve(path);
  for (;;) {
    const info = await stat(deepest).catch(() => undefined);
    if (info?.isDirectory()) break;
    if (dirname(deepest) === deepest) return [];
    deepest = dirname(deepest);
  }
  const chain: string[] = [];
  for (let directory = await realpath(deepest); ; directory = dirname(directory)) {
    chain.unshift(directory);
    if (dirname(directory) === directory) return chain;
  }
}
