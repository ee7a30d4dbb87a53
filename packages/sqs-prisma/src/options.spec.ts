import { describe, it, expect } from '@jest/globals';
import { InvalidOptionError } from './errors.js';
import { integerOption, nonEmptyString, postgresUrl, redactUrl, withDatabase } from './options.js';

describe('integerOption', () => {
  it('returns the fallback when the value is undefined', () => {
    expect(integerOption('limit', undefined, 10, 1, 100)).toBe(10);
  });

  it('rejects non-integers and values out of range, naming the option and the range', () => {
    expect(() => integerOption('limit', 0, 10, 1, 100)).toThrow(InvalidOptionError);
    expect(() => integerOption('limit', 1.5, 10, 1, 100)).toThrow(
      'Invalid option "limit": must be an integer from 1 to 100 (received 1.5)',
    );
    expect(() => integerOption('limit', Number.NaN, 10, 1, 100)).toThrow(InvalidOptionError);
  });
});

describe('nonEmptyString', () => {
  it('accepts a string and rejects empty or non-strings', () => {
    expect(nonEmptyString('owner', 'relay-1')).toBe('relay-1');
    expect(() => nonEmptyString('owner', '')).toThrow('Invalid option "owner": must be a non-empty string');
    expect(() => nonEmptyString('owner', 3)).toThrow(InvalidOptionError);
  });
});

describe('postgresUrl', () => {
  it('accepts postgres and postgresql URLs', () => {
    expect(postgresUrl('databaseUrl', 'postgres://u@h:5432/db')).toBe('postgres://u@h:5432/db');
    expect(postgresUrl('databaseUrl', 'postgresql://u@h/db')).toBe('postgresql://u@h/db');
  });

  it('rejects other URLs without echoing the password', () => {
    const error = captureError(() => postgresUrl('databaseUrl', 'mysql://u:secret@h/db'));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as Error).message).not.toContain('secret');
    expect(() => postgresUrl('databaseUrl', 'not a url')).toThrow(InvalidOptionError);
  });
});

describe('redactUrl and withDatabase', () => {
  it('hides the password', () => {
    expect(redactUrl('postgres://u:secret@h:5432/db')).toBe('postgres://u:***@h:5432/db');
  });

  it('swaps the database and keeps everything else', () => {
    expect(withDatabase('postgres://u:p@h:5432/postgres?sslmode=disable', 'other')).toBe(
      'postgres://u:p@h:5432/other?sslmode=disable',
    );
  });
});

function captureError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
