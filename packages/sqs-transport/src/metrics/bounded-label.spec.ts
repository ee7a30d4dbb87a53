import { describe, expect, it } from '@jest/globals';
import { BoundedLabel, OVERFLOW_LABEL } from './bounded-label.js';

describe('BoundedLabel', () => {
  it('passes the first values through and folds later new ones into "other"', () => {
    const label = new BoundedLabel(2);
    expect(label.value('a')).toBe('a');
    expect(label.value('b')).toBe('b');
    expect(label.value('c')).toBe(OVERFLOW_LABEL);
    expect(label.value('a')).toBe('a');
  });

  it('names a missing value with the fallback', () => {
    expect(new BoundedLabel(5).value(undefined)).toBe('unknown');
    expect(new BoundedLabel(5).value('', 'none')).toBe('none');
  });
});
