/** A duration in docker-compose.yml (`stop_grace_period: 40s`) that is not one. */
export class ComposeDurationError extends Error {
  readonly code = 'COMPOSE_DURATION_INVALID';

  constructor(value: string) {
    super(
      `"${value}" is not a Compose duration: write a number with a unit, e.g. 40s, 1m30s or 500ms (units h, m, s, ms, us, ns).`,
    );
    this.name = 'ComposeDurationError';
  }
}

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1, us: 1e-3, µs: 1e-3, ns: 1e-6 };

/**
 * A Compose duration (Go's format, as in `stop_grace_period: 1m30s`) in milliseconds. `docker compose config` may
 * also print one as a bare number of nanoseconds, which this accepts too.
 */
export function parseComposeDuration(value: string | number): number {
  if (typeof value === 'number') return value / 1e6;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) / 1e6;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|us|µs|ns|m|s)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) throw new ComposeDurationError(text);
  return parts.reduce((total, [, amount = '0', unit = 's']) => total + Number(amount) * (UNIT_MS[unit] ?? 0), 0);
}
