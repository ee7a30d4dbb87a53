/** The size and seed of a chaos run, from `CHAOS_*` environment variables. */
export interface ChaosConfig {
  /** The seed of every random choice (fault schedule, load); printed, and `CHAOS_SEED` replays it. */
  seed: number;
  /** Orders placed through the HTTP API (`CHAOS_ORDERS`). */
  orders: number;
  /** How long orders are placed and faults injected, in ms: 150 ms per order, at least 20 s. */
  windowMs: number;
  /** How long the system may take to settle after the window, in ms. */
  settleMs: number;
}

/** A `CHAOS_*` variable is not a valid value. */
export class ChaosConfigError extends Error {
  readonly code = 'CHAOS_CONFIG_INVALID';
}

/** The CI size: at least 300 orders with faults. */
export const DEFAULT_CHAOS_ORDERS = 300;
const MAX_ORDERS = 100_000;

/** Reads `CHAOS_SEED` (default: a new random seed) and `CHAOS_ORDERS` (default {@link DEFAULT_CHAOS_ORDERS}). */
export function chaosConfig(
  env: Record<string, string | undefined>,
  newSeed: () => number = () => Math.floor(Math.random() * 2 ** 32),
): ChaosConfig {
  const seed = integerVar(env, 'CHAOS_SEED', 0, 2 ** 32 - 1) ?? newSeed();
  const orders = integerVar(env, 'CHAOS_ORDERS', 1, MAX_ORDERS) ?? DEFAULT_CHAOS_ORDERS;
  const windowMs = Math.max(20_000, orders * 150);
  return { seed, orders, windowMs, settleMs: 180_000 + orders * 40 };
}

function integerVar(
  env: Record<string, string | undefined>,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ChaosConfigError(`${name} must be an integer from ${min} to ${max}; got "${raw}".`);
  }
  return value;
}
