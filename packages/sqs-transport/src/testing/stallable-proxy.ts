import type { Server, Socket } from 'node:net';
import { connect, createServer } from 'node:net';

export interface StallableProxyOptions {
  /** Where connections go, e.g. PostgreSQL's `127.0.0.1:5432`. */
  target: { host: string; port: number };
  /** Interface to listen on. Default `127.0.0.1` (the port is always a free one). */
  host?: string;
}

/** One client connection and its upstream twin, with what a stall holds back in each direction. */
interface Pair {
  client: Socket;
  upstream: Socket | undefined;
  /** Bytes from the client not yet forwarded upstream (held by a stall, or before upstream connects). */
  toUpstream: Buffer[];
  /** Bytes from upstream not yet forwarded to the client (held by a stall). */
  toClient: Buffer[];
  /** The client finished sending: end upstream once `toUpstream` is flushed. */
  clientEnded: boolean;
  upstreamEnded: boolean;
}

/**
 * A TCP proxy for fault tests: it sits between a service (or a consumer) and a server such as PostgreSQL and can
 * - `stall()`: stop forwarding in both directions, as when every server process is stopped (SIGSTOP): connections
 *   are still accepted and whatever the client sends is kept, in order, but nothing reaches the server and no
 *   answer comes back; `stallOn(pattern)` does so the moment a client sends bytes that match (e.g. one statement
 *   of a transaction), and holds those bytes too;
 * - `resume()`: deliver what was held, in order (a client that closed meanwhile is closed upstream after its last
 *   bytes, as the server would see it), and forward again;
 * - `dropConnections()`: cut every open connection at once (a server restart or a network reset).
 * Point the service at {@link StallableProxy.url} instead of the server's URL.
 */
export class StallableProxy {
  private readonly pairs = new Set<Pair>();
  private stalled = false;
  private trigger: RegExp | undefined;

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
    /** The port the proxy listens on. */
    readonly port: number,
    /** The interface the proxy listens on. */
    readonly host: string,
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  /** Starts a proxy on a free port. */
  static async start(options: StallableProxyOptions): Promise<StallableProxy> {
    const host = options.host ?? '127.0.0.1';
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    return new StallableProxy(server, { ...options.target }, port, host);
  }

  /** A proxy in front of the server of a URL such as `postgres://user@host:5432/db`. */
  static forUrl(url: string): Promise<StallableProxy> {
    const parsed = new URL(url);
    return StallableProxy.start({ target: { host: parsed.hostname, port: Number(parsed.port || 5432) } });
  }

  /** `url` with its host and port replaced by the proxy's. */
  url(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = this.host;
    parsed.port = String(this.port);
    return parsed.toString();
  }

  /** Whether forwarding is stopped. */
  get isStalled(): boolean {
    return this.stalled;
  }

  /** Open client connections. */
  get connectionCount(): number {
    return this.pairs.size;
  }

  /** Bytes received and not yet forwarded, both directions together (what a stall holds back). */
  get heldBytes(): number {
    let total = 0;
    for (const pair of this.pairs) {
      for (const chunk of [...pair.toUpstream, ...pair.toClient]) total += chunk.length;
    }
    return total;
  }

  /** Stops forwarding in both directions until {@link resume}. */
  stall(): void {
    this.stalled = true;
  }

  /**
   * Stalls as soon as a client sends a chunk whose text (latin1) matches `pattern`; that chunk is held too, so the
   * server never sees it until {@link resume}. For cutting a transaction between two statements. Fires once.
   */
  stallOn(pattern: RegExp): void {
    this.trigger = pattern;
  }

  /** Delivers what the stall held back, in order, and forwards again. */
  resume(): void {
    this.stalled = false;
    this.trigger = undefined;
    for (const pair of this.pairs) this.flush(pair);
  }

  /** Destroys every open connection, on both sides. Held bytes are discarded. */
  dropConnections(): void {
    for (const pair of [...this.pairs]) this.close(pair);
  }

  /** Drops every connection and stops listening. */
  async stop(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const pair: Pair = {
      client,
      upstream: undefined,
      toUpstream: [],
      toClient: [],
      clientEnded: false,
      upstreamEnded: false,
    };
    this.pairs.add(pair);
    client.on('data', (chunk: Buffer) => {
      if (this.trigger?.test(chunk.toString('latin1'))) {
        this.trigger = undefined;
        this.stalled = true;
      }
      pair.toUpstream.push(chunk);
      this.flush(pair);
    });
    client.on('end', () => {
      pair.clientEnded = true;
      this.flush(pair);
    });
    client.on('error', () => this.close(pair));
    client.on('close', () => {
      // A client gone while stalled: its last bytes and its end still reach the server on resume.
      pair.clientEnded = true;
      this.flush(pair);
    });
    this.flush(pair);
  }

  private connectUpstream(pair: Pair): Socket {
    const upstream = connect(this.target.port, this.target.host);
    pair.upstream = upstream;
    upstream.on('data', (chunk: Buffer) => {
      pair.toClient.push(chunk);
      this.flush(pair);
    });
    upstream.on('end', () => {
      pair.upstreamEnded = true;
      this.flush(pair);
    });
    upstream.on('error', () => this.close(pair));
    upstream.on('close', () => this.close(pair));
    return upstream;
  }

  /** Forwards what is held, unless stalled; ends each side once the other has ended and all bytes are through. */
  private flush(pair: Pair): void {
    if (this.stalled || !this.pairs.has(pair)) return;
    const upstream = pair.upstream ?? this.connectUpstream(pair);
    for (const chunk of pair.toUpstream.splice(0)) upstream.write(chunk);
    if (pair.clientEnded && !upstream.writableEnded) upstream.end();
    if (!pair.client.destroyed) {
      for (const chunk of pair.toClient.splice(0)) pair.client.write(chunk);
      if (pair.upstreamEnded && !pair.client.writableEnded) pair.client.end();
    }
    if (pair.clientEnded && pair.upstreamEnded) this.close(pair);
  }

  private close(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    pair.client.destroy();
    pair.upstream?.destroy();
  }
}
