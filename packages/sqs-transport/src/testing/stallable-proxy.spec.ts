import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Server, Socket } from 'node:net';
import { connect, createServer } from 'node:net';
import { StallableProxy } from './stallable-proxy.js';
import { waitFor } from './wait-for.js';

/** A server that records what each connection sent and whether it ended, and echoes every chunk. */
interface EchoServer {
  port: number;
  received: string[];
  ended: boolean[];
  sockets: Socket[];
  close(): Promise<void>;
}

async function startEchoServer(): Promise<EchoServer> {
  const received: string[] = [];
  const ended: boolean[] = [];
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    const index = sockets.push(socket) - 1;
    received[index] = '';
    ended[index] = false;
    socket.on('data', (chunk) => {
      received[index] += chunk.toString();
      socket.write(chunk);
    });
    socket.on('end', () => {
      ended[index] = true;
      socket.end();
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    received,
    ended,
    sockets,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A client socket that collects what comes back. */
async function open(port: number): Promise<{ socket: Socket; echoed: () => string; closed: () => boolean }> {
  const socket = connect(port, '127.0.0.1');
  let echoed = '';
  let closed = false;
  socket.on('data', (chunk) => {
    echoed += chunk.toString();
  });
  socket.on('close', () => {
    closed = true;
  });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, echoed: () => echoed, closed: () => closed };
}

describe('StallableProxy', () => {
  let echo: EchoServer;
  let proxy: StallableProxy;

  beforeEach(async () => {
    echo = await startEchoServer();
    proxy = await StallableProxy.start({ target: { host: '127.0.0.1', port: echo.port } });
  });

  afterEach(async () => {
    await proxy.stop();
    await echo.close();
  });

  it('forwards both ways while not stalled', async () => {
    const client = await open(proxy.port);
    client.socket.write('hello');
    await waitFor(() => client.echoed() === 'hello', { description: 'echo through the proxy' });
    expect(proxy.connectionCount).toBe(1);
  });

  it('holds what the client sends during a stall and delivers it, in order, on resume', async () => {
    const client = await open(proxy.port);
    client.socket.write('a');
    await waitFor(() => client.echoed() === 'a', { description: 'first echo' });

    proxy.stall();
    client.socket.write('b');
    client.socket.write('c');
    await waitFor(() => proxy.heldBytes === 2, { description: 'the stall holding both bytes' });
    expect(echo.received[0]).toBe('a');
    expect(client.echoed()).toBe('a');
    expect(proxy.isStalled).toBe(true);

    proxy.resume();
    await waitFor(() => client.echoed() === 'abc', { description: 'held bytes delivered on resume' });
    expect(echo.received[0]).toBe('abc');
    expect(proxy.heldBytes).toBe(0);
  });

  it('holds answers already on their way back during a stall', async () => {
    const client = await open(proxy.port);
    client.socket.write('x');
    await waitFor(() => client.echoed() === 'x', { description: 'first echo' });
    proxy.stall();
    // The server answers on its own (as a query already running would) while forwarding is stopped.
    echo.sockets[0]?.write('late');
    await waitFor(() => proxy.heldBytes === 4, { description: 'the answer held' });
    expect(client.echoed()).toBe('x');
    proxy.resume();
    await waitFor(() => client.echoed() === 'xlate', { description: 'the answer delivered on resume' });
  });

  it('stalls the moment a client sends matching bytes, holding those bytes too', async () => {
    const client = await open(proxy.port);
    proxy.stallOn(/COMMIT/);
    client.socket.write('INSERT');
    await waitFor(() => client.echoed() === 'INSERT', { description: 'bytes before the match forwarded' });
    client.socket.write('COMMIT');
    await waitFor(() => proxy.heldBytes === 6, { description: 'the matching bytes held' });
    expect(proxy.isStalled).toBe(true);
    expect(echo.received[0]).toBe('INSERT');
    proxy.resume();
    await waitFor(() => client.echoed() === 'INSERTCOMMIT', { description: 'delivered on resume' });
  });

  it('accepts connections during a stall and opens them upstream only on resume', async () => {
    proxy.stall();
    const client = await open(proxy.port);
    client.socket.write('early');
    await waitFor(() => proxy.heldBytes === 5, { description: 'the bytes of the new connection held' });
    expect(echo.sockets).toHaveLength(0);
    proxy.resume();
    await waitFor(() => client.echoed() === 'early', { description: 'the connection served after the stall' });
    expect(echo.sockets).toHaveLength(1);
  });

  it('delivers the last bytes and the end of a client that left during a stall, as a stopped server would see them', async () => {
    const client = await open(proxy.port);
    client.socket.write('1');
    await waitFor(() => client.echoed() === '1', { description: 'first echo' });
    proxy.stall();
    client.socket.end('2');
    await waitFor(() => client.closed() || proxy.heldBytes === 1, { description: 'the client gone' });
    expect(echo.ended[0]).toBe(false);
    proxy.resume();
    await waitFor(() => echo.ended[0] === true, { description: 'the end delivered upstream' });
    expect(echo.received[0]).toBe('12');
  });

  it('drops every connection on both sides', async () => {
    const client = await open(proxy.port);
    client.socket.write('x');
    await waitFor(() => echo.sockets.length === 1, { description: 'upstream connection' });
    proxy.dropConnections();
    await waitFor(() => client.closed(), { description: 'client connection closed' });
    await waitFor(() => echo.sockets[0]?.destroyed === true || echo.ended[0] === true, {
      description: 'upstream connection closed',
    });
    expect(proxy.connectionCount).toBe(0);

    const again = await open(proxy.port);
    again.socket.write('y');
    await waitFor(() => again.echoed() === 'y', { description: 'new connections still work' });
  });

  it("rewrites a URL's host and port to the proxy's", () => {
    expect(proxy.url('postgres://user:pw@db.example:5432/orders?sslmode=disable')).toBe(
      `postgres://user:pw@127.0.0.1:${proxy.port}/orders?sslmode=disable`,
    );
  });
});
