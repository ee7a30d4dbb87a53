import { describe, expect, it } from '@jest/globals';
import { text } from './text.js';

describe('text', () => {
  const schema = text({ min: 1, max: 10 });

  it('accepts text within its length, emoji and combining marks included', () => {
    for (const value of ['a', 'Ada', '\u{1F600}', 'e\u0301', '\ufeffx', 'x'.repeat(10)]) {
      expect([value, schema.safeParse(value).success]).toEqual([value, true]);
    }
  });

  it.each([
    ['the NUL character', 'a\u0000b', 'must not contain the NUL character (U+0000)'],
    ['a lone high surrogate', 'a\ud800', 'must be valid Unicode (no lone surrogate)'],
    ['a lone low surrogate', '\udc00b', 'must be valid Unicode (no lone surrogate)'],
    ['a pair in the wrong order', '\ude00\ud83d', 'must be valid Unicode (no lone surrogate)'],
  ])('refuses %s, saying why', (_, value, message) => {
    const result = schema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toContain(message);
  });

  it('keeps the length limits', () => {
    expect(schema.safeParse('').success).toBe(false);
    expect(schema.safeParse('x'.repeat(11)).success).toBe(false);
  });
});
