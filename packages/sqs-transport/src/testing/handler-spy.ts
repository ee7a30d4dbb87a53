import { waitFor } from './wait-for.js';

/** Records every call of a handler so a test can wait for them with a deadline. */
export class HandlerSpy<TCall> {
  readonly calls: TCall[] = [];
  private readonly listeners = new Set<() => void>();

  record(call: TCall): void {
    this.calls.push(call);
    for (const listener of this.listeners) listener();
  }

  get count(): number {
    return this.calls.length;
  }

  /** Resolves with the calls once at least `count` were recorded (and `where` holds, if given). */
  async waitForCalls(count: number, timeoutMs = 10_000, where?: (calls: TCall[]) => boolean): Promise<TCall[]> {
    const satisfied = (): boolean => this.calls.length >= count && (where ? where(this.calls) : true);
    if (satisfied()) return this.calls;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`HandlerSpy: expected ${count} calls within ${timeoutMs} ms, saw ${this.calls.length}`));
      }, timeoutMs);
      const check = (): void => {
        if (!satisfied()) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      this.listeners.add(check);
    });
    return this.calls;
  }

  /** Like `waitForCalls`, but polls a predicate over the calls. */
  waitUntil(predicate: (calls: TCall[]) => boolean, timeoutMs = 10_000): Promise<true> {
    return waitFor(() => predicate(this.calls), { timeoutMs, description: 'HandlerSpy predicate' }) as Promise<true>;
  }
}
