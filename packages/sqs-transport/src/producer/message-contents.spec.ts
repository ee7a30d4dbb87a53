import { describe, expect, it } from '@jest/globals';
import { firstRefusedCharacter } from './message-contents.js';

describe('firstRefusedCharacter', () => {
  it('accepts what SQS accepts: JSON with tabs, newlines, accents, emoji and the last BMP characters SQS allows', () => {
    expect(firstRefusedCharacter(JSON.stringify({ a: 'é\t\n\r 😀 \uE000 \uFFFD', b: [1, null] }))).toBe(-1);
    expect(firstRefusedCharacter('')).toBe(-1);
  });

  it.each([
    ['a control character', 'ab\u0001'],
    ['U+FFFE', 'ab\uFFFE'],
    ['U+FFFF', 'ab\uFFFF'],
    ['a lone high surrogate', 'ab\uD800'],
    ['a lone low surrogate', 'ab\uDC00'],
  ])('finds %s', (_, body) => {
    expect(firstRefusedCharacter(body)).toBe(2);
  });
});
