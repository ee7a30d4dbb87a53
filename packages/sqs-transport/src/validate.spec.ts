import { describe, expect, it } from '@jest/globals';
import { InvalidOptionError } from './errors.js';
import type { OptionRange } from './validate.js';
import {
  functionOption,
  integerIn,
  integerOption,
  numberIn,
  numberOption,
  optionalNumberIn,
  stringOption,
  urlOption,
} from './validate.js';

describe('option validators', () => {
  it('integerOption returns the default when unset and the value when in range', () => {
    expect(integerOption('concurrency', undefined, 10, 1, 100)).toBe(10);
    expect(integerOption('concurrency', 1, 10, 1, 100)).toBe(1);
    expect(integerOption('concurrency', 100, 10, 1, 100)).toBe(100);
  });

  it.each([0, 101, 1.5, '5', Number.NaN, null])('integerOption rejects %p naming the option and range', (value) => {
    expect(() => integerOption('concurrency', value, 10, 1, 100)).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        option: 'concurrency',
        message: expect.stringContaining('"concurrency": must be an integer from 1 to 100'),
      }),
    );
  });

  it('says what it received, as written', () => {
    expect(() => integerOption('limit', 1.5, 10, 1, 100)).toThrow(
      'Invalid option "limit": must be an integer from 1 to 100 (received 1.5).',
    );
    expect(() => integerOption('limit', Number.NaN, 10, 1, 100)).toThrow('(received NaN)');
    expect(() => integerOption('limit', 10n, 10, 1, 100)).toThrow('(received 10n)');
    expect(() => stringOption('owner', undefined)).toThrow('(received undefined)');
    expect(() => stringOption('owner', '')).toThrow(
      'Invalid option "owner": must be a non-empty string (received "").',
    );
  });

  it('numberOption accepts fractions within range and rejects infinities', () => {
    expect(numberOption('jitter', 0.5, 1, 0, 1)).toBe(0.5);
    expect(() => numberOption('jitter', Number.POSITIVE_INFINITY, 1, 0, 1)).toThrow(InvalidOptionError);
    expect(() => numberOption('jitter', 1.01, 1, 0, 1)).toThrow('must be a number from 0 to 1');
  });

  it('stringOption rejects empty and non-string values', () => {
    expect(stringOption('name', 'x')).toBe('x');
    expect(() => stringOption('name', '  ')).toThrow('"name": must be a non-empty string');
    expect(() => stringOption('name', 3)).toThrow(InvalidOptionError);
  });

  it('urlOption accepts http(s) URLs only', () => {
    expect(urlOption('endpoint', 'http://127.0.0.1:4566')).toBe('http://127.0.0.1:4566');
    expect(() => urlOption('endpoint', 'ftp://x')).toThrow('"endpoint": must be an http(s) URL');
    expect(() => urlOption('endpoint', 'not a url')).toThrow(InvalidOptionError);
    expect(urlOption('queue', 'http://sqs.us-east-1.127.0.0.1:4566/000000000000/q')).toContain('/q');
  });

  it('functionOption rejects non-functions', () => {
    const fn = (): number => 1;
    expect(functionOption('random', fn, Math.random)).toBe(fn);
    expect(functionOption('random', undefined, Math.random)).toBe(Math.random);
    expect(() => functionOption('random', 3, Math.random)).toThrow('"random": must be a function');
  });
});

describe('the range validators (an option defined once as an OptionRange)', () => {
  const pollers = { default: 2, min: 1, max: 50 } as const satisfies OptionRange;
  const jitter = { default: 0.5, min: 0, max: 1 } as const satisfies OptionRange;
  const interval = { min: 10, max: 1_000 } as const satisfies OptionRange;

  it('give the default for a missing value and reject one outside the range, naming the option and the range', () => {
    expect(integerIn('pollers', undefined, pollers)).toBe(2);
    expect(integerIn('pollers', 7, pollers)).toBe(7);
    expect(() => integerIn('pollers', 0, pollers)).toThrow(InvalidOptionError);
    expect(() => integerIn('pollers', 1.5, pollers)).toThrow('"pollers": must be an integer from 1 to 50');
    expect(numberIn('retry.jitter', undefined, jitter)).toBe(0.5);
    expect(numberIn('retry.jitter', 0.25, jitter)).toBe(0.25);
    expect(() => numberIn('retry.jitter', 2, jitter)).toThrow('"retry.jitter": must be a number from 0 to 1');
  });

  it('leave an option without a default undefined when it is missing, and check it when given', () => {
    expect(optionalNumberIn('intervalMs', undefined, interval)).toBeUndefined();
    expect(optionalNumberIn('intervalMs', 500, interval, true)).toBe(500);
    expect(optionalNumberIn('intervalMs', 10.5, interval)).toBe(10.5);
    expect(() => optionalNumberIn('intervalMs', 9, interval, true)).toThrow(InvalidOptionError);
    expect(() => optionalNumberIn('intervalMs', 10.5, interval, true)).toThrow('must be an integer from 10 to 1000');
  });
});
