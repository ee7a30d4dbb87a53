import { z } from 'zod';
import type { ConfigProblem } from '../errors.js';
import { ConfigError } from '../errors.js';

/**
 * Environment variables as zod schemas. Each takes the raw string (an empty string counts as unset), applies its
 * default, and reports a problem that names the allowed values and what was received.
 */
type Raw = string | undefined;
/** What a variable's parser returns. */
type Parsed<T> = { value: T } | { problem: string };

function variable<T>(parse: (raw: string) => Parsed<T>, fallback: NoInfer<T> | undefined, need: string) {
  return z
    .string()
    .optional()
    .transform((raw: Raw, ctx): T => {
      const text = raw === undefined || raw.trim() === '' ? undefined : raw.trim();
      if (text === undefined) {
        if (fallback !== undefined) return fallback;
        ctx.addIssue({ code: 'custom', message: `is required: ${need}` });
        return z.NEVER;
      }
      const result = parse(text);
      if ('problem' in result) {
        ctx.addIssue({ code: 'custom', message: `${result.problem} (received ${JSON.stringify(redact(text))})` });
        return z.NEVER;
      }
      return result.value;
    });
}

/** Same as {@link variable}, but unset stays `undefined` (no default, not required). */
function optionalVariable<T>(parse: (raw: string) => Parsed<T>) {
  return z
    .string()
    .optional()
    .transform((raw: Raw, ctx): T | undefined => {
      const text = raw === undefined || raw.trim() === '' ? undefined : raw.trim();
      if (text === undefined) return undefined;
      const result = parse(text);
      if ('problem' in result) {
        ctx.addIssue({ code: 'custom', message: `${result.problem} (received ${JSON.stringify(redact(text))})` });
        return z.NEVER;
      }
      return result.value;
    });
}

interface Range {
  min: number;
  max: number;
}

function parseInteger({ min, max }: Range) {
  return (raw: string): Parsed<number> => {
    const value = Number(raw);
    return /^-?\d+$/.test(raw) && value >= min && value <= max
      ? { value }
      : { problem: `must be an integer from ${min} to ${max}` };
  };
}

function parseNumber({ min, max }: Range) {
  return (raw: string): Parsed<number> => {
    const value = Number(raw);
    return Number.isFinite(value) && value >= min && value <= max
      ? { value }
      : { problem: `must be a number from ${min} to ${max}` };
  };
}

function parseUrl(protocols: readonly string[], what: string) {
  return (raw: string): Parsed<string> => {
    try {
      const url = new URL(raw);
      if (protocols.includes(url.protocol)) return { value: raw };
    } catch {
      // reported below
    }
    return { problem: `must be ${what}` };
  };
}

export const env = {
  /** An integer in [min, max]; `default` when unset, else required. */
  integer: (range: Range & { default?: number }) =>
    variable(parseInteger(range), range.default, `an integer from ${range.min} to ${range.max}`),
  /** An integer in [min, max], or undefined when unset. */
  optionalInteger: (range: Range) => optionalVariable(parseInteger(range)),
  /** A number in [min, max]; `default` when unset. */
  number: (range: Range & { default?: number }) =>
    variable(parseNumber(range), range.default, `a number from ${range.min} to ${range.max}`),
  /** An optional number in [min, max]. */
  optionalNumber: (range: Range) => optionalVariable(parseNumber(range)),
  /** `true`/`false` (also `1`/`0`, `yes`/`no`). */
  boolean: (fallback: boolean) =>
    variable(
      (raw): Parsed<boolean> => {
        const text = raw.toLowerCase();
        if (['true', '1', 'yes'].includes(text)) return { value: true };
        if (['false', '0', 'no'].includes(text)) return { value: false };
        return { problem: 'must be true or false' };
      },
      fallback,
      'true or false',
    ),
  /** One of `values`. */
  oneOf: <const T extends string>(values: readonly T[], fallback?: T) =>
    variable(
      (raw): Parsed<T> =>
        (values as readonly string[]).includes(raw)
          ? { value: raw as T }
          : { problem: `must be one of ${values.join(', ')}` },
      fallback,
      `one of ${values.join(', ')}`,
    ),
  /** A non-empty string of at most `maxLength` characters. */
  string: (options: { default?: string; maxLength?: number } = {}) =>
    variable(
      (raw): Parsed<string> =>
        raw.length <= (options.maxLength ?? 1_000)
          ? { value: raw }
          : { problem: `must be at most ${options.maxLength ?? 1_000} characters` },
      options.default,
      'a non-empty string',
    ),
  /** A PostgreSQL URL (`postgres://` or `postgresql://`); required. Its password is never echoed. */
  postgresUrl: () =>
    variable(
      parseUrl(['postgres:', 'postgresql:'], 'a postgres:// or postgresql:// URL'),
      undefined,
      'a postgres:// URL, e.g. postgres://user:password@host:5432/orders',
    ),
  /** An optional http(s) URL. */
  optionalHttpUrl: () => optionalVariable(parseUrl(['http:', 'https:'], 'an http:// or https:// URL')),
  /** A variable that was renamed: set, it is a problem that names its replacement; it always parses to `undefined`. */
  renamed: (replacement: string) =>
    z
      .string()
      .optional()
      .transform((raw: Raw, ctx): undefined => {
        if (raw === undefined || raw.trim() === '') return undefined;
        ctx.addIssue({ code: 'custom', message: `was renamed: set ${replacement} instead` });
        return z.NEVER;
      }),
  /** An optional secret of at most `maxLength` characters, taken as given (not trimmed). Never echoed in errors. */
  optionalSecret: (options: { maxLength?: number } = {}) =>
    z
      .string()
      .optional()
      .transform((raw: Raw, ctx): string | undefined => {
        if (raw === undefined || raw === '') return undefined;
        const maxLength = options.maxLength ?? 1_000;
        if (raw.length <= maxLength) return raw;
        ctx.addIssue({ code: 'custom', message: `must be at most ${maxLength} characters (received ${raw.length})` });
        return z.NEVER;
      }),
};

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The parsed configuration of a shape of {@link env} variables: every key present (defaults applied). */
export type EnvConfig<S extends z.ZodRawShape> = { -readonly [K in keyof S]-?: z.output<S[K]> };

/**
 * Validates `source` (default `process.env`) against a shape of {@link env} variables. Throws a
 * {@link ConfigError} that lists every problem, each naming the variable and its allowed values.
 */
export function loadConfig<S extends z.ZodRawShape>(
  service: string,
  shape: S,
  source: Record<string, string | undefined> = process.env,
): EnvConfig<S> {
  const input = Object.fromEntries(Object.keys(shape).map((key) => [key, source[key]]));
  const result = z.object(shape).safeParse(input);
  if (result.success) return result.data as EnvConfig<S>;
  const problems: ConfigProblem[] = result.error.issues.map((issue) => ({
    variable: issue.path.map(String).join('.') || '(environment)',
    message: issue.message,
  }));
  throw new ConfigError(service, problems);
}

/** The URL with its password replaced; other text unchanged. */
function redact(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) {
      url.password = '***';
      return url.toString();
    }
  } catch {
    // not a URL
  }
  return text;
}
