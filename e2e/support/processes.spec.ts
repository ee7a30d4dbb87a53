import { afterAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:net';
import { createServer } from 'node:net';
import { spawnSync } from 'node:child_process';
import { isRunning, listeningSockets, parseProcNetTcp, processTree } from './processes.js';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0
   1: 00000000:11D6 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4243 1 0000000000000000 100 0 0 10 0
   2: 0100007F:0BB8 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 4244 1 0000000000000000 20 4 30 10 -1`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:0BB9 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5151 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000001000000:0BBA 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5152 1 0000000000000000 100 0 0 10 0`;

describe('listening sockets', () => {
  const servers: Server[] = [];
  afterAll(async () => {
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
  });
  async function listen(host: string): Promise<number> {
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const address = server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  it('reads the LISTEN rows of /proc/net/tcp and tcp6, addresses decoded', () => {
    expect(parseProcNetTcp(TCP)).toEqual([
      { inode: '4242', address: '127.0.0.1', port: 3000 },
      { inode: '4243', address: '0.0.0.0', port: 4566 },
    ]);
    expect(parseProcNetTcp(TCP6)).toEqual([
      { inode: '5151', address: '::', port: 3001 },
      { inode: '5152', address: '::1', port: 3002 },
    ]);
  });

  it("finds this process's own listeners with the address each is bound to", async () => {
    const loopback = await listen('127.0.0.1');
    const wildcard = await listen('0.0.0.0');
    const sockets = await listeningSockets(process.pid);
    expect(sockets).toEqual(
      expect.arrayContaining([
        { pid: process.pid, address: '127.0.0.1', port: loopback },
        { pid: process.pid, address: '0.0.0.0', port: wildcard },
      ]),
    );
  });

  it('walks a process tree from its root, and tells running processes from gone ones', async () => {
    expect(await processTree(process.ppid)).toEqual(expect.arrayContaining([process.ppid, process.pid]));
    expect(await isRunning(process.pid)).toBe(true);
    expect(await isRunning(spawnSync(process.execPath, ['-e', '0']).pid)).toBe(false);
  });
});
