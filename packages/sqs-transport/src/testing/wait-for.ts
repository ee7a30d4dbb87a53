export interface WaitForOptions {
  /** Give up after this many ms. Default 10,000. */
  timeoutMs?: number;
  /** How often to re-check the predicate, in ms. Default 10. */
  intervalMs?: number;
  /** Included in the timeout error, to say what was awaited. */
  description?: string;
}

/** `T` without its falsy members. */
export type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

/**
 * Resolves with the predicate's first truthy value; rejects with a clear error
 * once the deadline passes. Tests wait on this, never on fixed sleeps.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 10, description = 'condition' }: WaitForOptions = {},
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value as Truthy<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`waitFor: ${description} not met within ${timeoutMs} ms${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
