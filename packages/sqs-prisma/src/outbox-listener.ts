import pg from 'pg';

/** The channel the outbox trigger (see the migration) notifies when rows are inserted. */
export const OUTBOX_CHANNEL = 'sqs_outbox';

/** A connection attempt that takes longer than this is abandoned (and retried on a later wait). */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * One dedicated connection that LISTENs on {@link OUTBOX_CHANNEL}.
 *
 * A notification that arrives while nobody waits is remembered, so the next
 * `wait()` returns at once: a row committed between a relay's claim and its
 * wait is never slept through. For the same reason `wait()` also returns when
 * the connection (re)starts listening, since rows may have been committed
 * while it was not. It connects in the background and never makes a wait
 * longer than its timeout; while the connection is down, waits simply time
 * out (the relay polls) and the next wait reconnects.
 */
export class OutboxListener {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private pending = false;
  private closed = false;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly connectionString: string) {}

  /** Resolves on a notification (or one received since the last wait), after `timeoutMs`, or on abort. Never rejects. */
  async wait(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted || this.closed) return;
    this.ensureConnecting();
    if (this.pending) {
      this.pending = false;
      return;
    }
    if (timeoutMs === 0) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
    this.pending = false;
  }

  /** Whether the LISTEN connection is up. */
  get listening(): boolean {
    return this.client !== null;
  }

  /** Resolves once a connection attempt in progress has finished (for tests and orderly startup). */
  async settled(): Promise<void> {
    await this.connecting;
  }

  /** Closes the connection; waiting calls resolve. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of [...this.waiters]) wake();
    await this.connecting;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private wakeAll(): void {
    this.pending = true;
    for (const wake of [...this.waiters]) wake();
  }

  private ensureConnecting(): void {
    if (this.client || this.connecting || this.closed) return;
    this.connecting = this.connect().finally(() => {
      this.connecting = null;
    });
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: 'sqs-outbox-listener',
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    const lost = () => {
      if (this.client === client) this.client = null;
      void client.end().catch(() => undefined);
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      if (message.channel === OUTBOX_CHANNEL) this.wakeAll();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    } catch {
      await client.end().catch(() => undefined);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.wakeAll();
  }
}
