import { readFileSync } from 'node:fs';

/**
 * True when a process with this id runs. Signal 0 probes without sending anything; on Linux, a zombie (a process
 * that has exited but that no parent has reaped yet, e.g. a killed `npm start` whose parent died with it) does not
 * count.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false; // EPERM: it exists, another user's
  }
  return processState(pid) !== 'Z';
}

/** The state letter of `/proc/<pid>/stat` ("pid (name) S ..."; the name may hold spaces); undefined without /proc. */
function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2);
  } catch {
    return undefined;
  }
}
