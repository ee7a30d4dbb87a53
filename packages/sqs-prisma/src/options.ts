import { InvalidOptionError } from './errors.js';

/** Returns `value`, or `fallback` when undefined, after checking it is an integer in [min, max]. */
export function integerOption(
  option: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  const actual = value ?? fallback;
  if (!Number.isInteger(actual) || actual < min || actual > max) {
    throw new InvalidOptionError(option, `must be an integer from ${min} to ${max}`, value);
  }
  return actual;
}

/** Checks that `value` is a non-empty string. */
export function nonEmptyString(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidOptionError(option, 'must be a non-empty string', value);
  }
  return value;
}

/** Checks that `value` is a PostgreSQL connection URL (postgres:// or postgresql://). */
export function postgresUrl(option: string, value: unknown): string {
  const url = nonEmptyString(option, value);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidOptionError(option, 'must be a postgres:// or postgresql:// URL', redactUrl(url));
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new InvalidOptionError(option, 'must be a postgres:// or postgresql:// URL', redactUrl(url));
  }
  return url;
}

/** The URL with its password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable URL>';
  }
}

/** The same server and credentials, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
