import { describe, expect, it } from '@jest/globals';
import { parseComposeDuration } from './duration.js';

describe('parseComposeDuration', () => {
  it.each([
    ['40s', 40_000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['500ms', 500],
    ['1.5s', 1_500],
    ['2m0.5s', 120_500],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseComposeDuration(text)).toBe(ms);
  });

  it('reads nanoseconds, as a number or a string of digits', () => {
    expect(parseComposeDuration(40_000_000_000)).toBe(40_000);
    expect(parseComposeDuration('40000000000')).toBe(40_000);
  });

  it.each(['', ' s', '40 s', '40sec', '1x', 's40', '-5s'])('refuses %j with the format to use', (text) => {
    expect(() => parseComposeDuration(text)).toThrow(/is not a Compose duration: write a number with a unit/);
  });
});
