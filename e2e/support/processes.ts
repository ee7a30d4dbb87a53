import { readdir, readFile, readlink } from 'node:fs/promises';

/** A TCP socket in LISTEN state, and the process that holds it. */
export interface ListeningSocket {
  pid: number;
  /** The address it is bound to, e.g. `127.0.0.1`, `0.0.0.0`, `::`, `::1`. */
  address: string;
  port: number;
}

/** One LISTEN row of `/proc/net/tcp` or `/proc/net/tcp6`: its socket inode, address and port. */
export interface ProcNetListener {
  inode: string;
  address: string;
  port: number;
}

/**
 * The LISTEN rows of a `/proc/net/tcp` (IPv4) or `/proc/net/tcp6` (IPv6) table. Addresses are hex words in the
 * kernel's byte order (little-endian on x86 and arm64): `0100007F:0BB8` is 127.0.0.1:3000.
 */
export function parseProcNetTcp(table: string): ProcNetListener[] {
  return table
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[3] === '0A') // TCP_LISTEN
    .map((fields) => {
      const [hexAddress = '', hexPort = '0'] = (fields[1] ?? '').split(':');
      return { inode: fields[9] ?? '', address: decodeAddress(hexAddress), port: Number.parseInt(hexPort, 16) };
    });
}

function decodeAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((word) => (word.match(/../g) ?? []).reverse().map((byte) => Number.parseInt(byte, 16)));
  if (bytes.length === 4) return bytes.join('.');
  const groups = Array.from({ length: 8 }, (_, i) =>
    (((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0)).toString(16),
  );
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1); // the canonical, compressed form
}

/** `pid` and every process below it (children, grandchildren, ...), from the parents in `/proc/<pid>/stat`. */
export async function processTree(pid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // "pid (comm) state ppid ...": comm may contain spaces and parentheses, so read after the last ")".
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (Number.isInteger(ppid)) parents.set(Number(entry), ppid);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i += 1) {
    for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}

/** True while `pid` runs: it exists and is not a zombie (an exited process that no parent has reaped yet). */
export async function isRunning(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** The TCP sockets that `pid` and its descendants listen on (Linux: from /proc). */
export async function listeningSockets(pid: number): Promise<ListeningSocket[]> {
  const listeners = [
    ...parseProcNetTcp(await readFile('/proc/net/tcp', 'utf8')),
    ...parseProcNetTcp(await readFile('/proc/net/tcp6', 'utf8').catch(() => '')),
  ];
  const byInode = new Map(listeners.map((listener) => [listener.inode, listener]));
  const sockets: ListeningSocket[] = [];
  for (const member of await processTree(pid)) {
    const fds = await readdir(`/proc/${member}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${member}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      const listener = inode === undefined ? undefined : byInode.get(inode);
      if (listener) sockets.push({ pid: member, address: listener.address, port: listener.port });
    }
  }
  return sockets;
}
