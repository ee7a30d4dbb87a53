import { createServer } from 'node:net';

/**
 * A TCP port that nothing listens on right now, on `host` (default 127.0.0.1): the operating system picks it, and
 * the probe closes it again before this resolves. Another process may take it in between, so use it at once.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error(`freePort: no port from ${host}`))));
    });
  });
}
