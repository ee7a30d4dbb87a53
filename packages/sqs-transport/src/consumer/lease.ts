/**
 * A held message's lease on its queue: until when it stays invisible, the AbortSignal that fires when the lease is
 * lost or processing must stop, and the listeners told after each extension. The heartbeat extends it and aborts it
 * when the lease is lost; shutdown and a lost inbox lease may abort it too. Nothing else writes it.
 */
export class Lease {
  private until: number;
  private readonly controller = new AbortController();
  private readonly listeners = new Set<() => void>();

  constructor(visibleUntil: number) {
    this.until = visibleUntil;
  }

  /** When the message's visibility runs out, as far as this consumer knows (ms since the epoch). */
  get visibleUntil(): number {
    return this.until;
  }

  /** Fires when processing must stop; handlers see it as their AbortSignal. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether anything listens for extensions (a lease-mode inbox renewing its own lease). */
  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  /** The heartbeat extended the visibility up to `visibleUntil`: records it and tells the listeners. */
  extended(visibleUntil: number): void {
    this.until = visibleUntil;
    for (const listener of [...this.listeners]) listener();
  }

  /** Fires the signal with `reason`, once; later calls do nothing. */
  abort(reason: unknown): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }

  /** Calls `listener` after each successful extension, until the returned function is called. */
  onExtended(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
