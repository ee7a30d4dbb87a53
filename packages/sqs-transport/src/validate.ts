import { InvalidOptionError } from './errors.js';

/**
 * The option checks of the transport and of the packages built on it (`@sqsref/sqs-prisma`). Each throws
 * {@link InvalidOptionError} naming the option and its allowed range, and returns the value (or the default).
 */

export function integerOption(name: string, value: unknown, defaultValue: number, min: number, max: number): number {
  if (value === undefined) return defaultValue;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidOptionError(name, `must be an integer from ${min} to ${max}`, value);
  }
  return value;
}

export function numberOption(name: string, value: unknown, defaultValue: number, min: number, max: number): number {
  if (value === undefined) return defaultValue;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidOptionError(name, `must be a number from ${min} to ${max}`, value);
  }
  return value;
}

export function stringOption(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidOptionError(name, 'must be a non-empty string', value);
  }
  return value;
}

/**
 * An http(s) URL. Checked by shape, not with `new URL()`: emulators return
 * queue URLs such as `http://sqs.us-east-1.127.0.0.1:4566/...` that WHATWG
 * parsing rejects but SQS clients use fine.
 */
export function urlOption(name: string, value: unknown): string {
  const text = stringOption(name, value);
  if (!/^https?:\/\/[^\s/]+(\/\S*)?$/i.test(text)) {
    throw new InvalidOptionError(name, 'must be an http(s) URL', value);
  }
  return text;
}

export function functionOption<T>(name: string, value: unknown, defaultValue: T): T {
  if (value === undefined) return defaultValue;
  if (typeof value !== 'function') throw new InvalidOptionError(name, 'must be a function', value);
  return value as T;
}

/** An option's default (when it has one) and its allowed range, inclusive: each package defines its options' once. */
export interface OptionRange {
  readonly default?: number;
  readonly min: number;
  readonly max: number;
}

/** Validates an integer option against its range, `value` undefined giving the default. */
export function integerIn(name: string, value: unknown, range: OptionRange & { default: number }): number {
  return integerOption(name, value, range.default, range.min, range.max);
}

/** Validates a number option against its range, `value` undefined giving the default. */
export function numberIn(name: string, value: unknown, range: OptionRange & { default: number }): number {
  return numberOption(name, value, range.default, range.min, range.max);
}

/** Validates an option that has no default: `undefined` stays `undefined`. */
export function optionalNumberIn(
  name: string,
  value: unknown,
  range: OptionRange,
  integer = false,
): number | undefined {
  if (value === undefined) return undefined;
  return (integer ? integerOption : numberOption)(name, value, range.min, range.min, range.max);
}
