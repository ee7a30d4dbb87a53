import { describe, expect, it } from '@jest/globals';
import { fc } from './generated-cases.js';
import type { Json } from './generated-input.js';
import {
  deeplyNestedJson,
  edgeString,
  malformedJson,
  mutatedJson,
  parsesAsJson,
  UNICODE_EDGE_STRINGS,
  withValueAt,
} from './generated-input.js';

describe('generated input', () => {
  it('malformedJson: never parses', () => {
    fc.assert(
      fc.property(malformedJson(), (text) => !parsesAsJson(text)),
      { seed: 1, numRuns: 300 },
    );
  });

  it('deeplyNestedJson: parses, and is as deep as asked', () => {
    fc.assert(
      fc.property(deeplyNestedJson({ minDepth: 50, maxDepth: 60 }), (text) => {
        let depth = 0;
        let value: unknown = JSON.parse(text);
        while (value !== null && typeof value === 'object') {
          value = Array.isArray(value) ? value[0] : (value as { a: unknown }).a;
          depth += 1;
        }
        return depth >= 50 && depth <= 60;
      }),
      { seed: 1, numRuns: 20 },
    );
  });

  it('edgeString: yields NUL, lone surrogates, astral characters and strings past the length limits', () => {
    const samples = fc.sample(edgeString(), { seed: 1, numRuns: 2_000 });
    expect(samples.some((text) => text.includes('\u0000'))).toBe(true);
    expect(samples.some((text) => /[\ud800-\udfff]/.test(text.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')))).toBe(
      true,
    );
    expect(samples.some((text) => /[\u{10000}-\u{10FFFF}]/u.test(text))).toBe(true);
    expect(samples.some((text) => text.length > 255)).toBe(true);
    expect(UNICODE_EDGE_STRINGS).toContain('\ud800');
  });

  it('mutatedJson: changes one part of the document, which still serialises', () => {
    const base = (): Json => ({ name: 'x', items: [{ sku: 'A', quantity: 1 }], nested: { deep: { value: true } } });
    const kinds = new Set<string>();
    const paths = new Set<string>();
    fc.assert(
      fc.property(mutatedJson(base), ({ path, mutation, value }) => {
        kinds.add(mutation.kind);
        paths.add(path);
        expect(typeof JSON.stringify(value)).toBe('string');
        // The base is rebuilt for each case, never changed in place.
        expect(base()).toEqual({ name: 'x', items: [{ sku: 'A', quantity: 1 }], nested: { deep: { value: true } } });
        if (mutation.kind !== 'replace' && mutation.kind !== 'addKey') expect(value).not.toEqual(base());
      }),
      { seed: 1, numRuns: 300 },
    );
    expect([...kinds].sort()).toEqual(['addKey', 'remove', 'replace', 'wrap']);
    expect([...paths].sort()).toEqual(
      [
        'items',
        'items.0',
        'items.0.quantity',
        'items.0.sku',
        'name',
        'nested',
        'nested.deep',
        'nested.deep.value',
      ].sort(),
    );
  });

  it('withValueAt: puts a value at a path in a copy, leaving the document as it was', () => {
    const document: Json = { a: [{ b: 1 }, { b: 2 }] };
    expect(withValueAt(document, ['a', 1, 'b'], 'x')).toEqual({ a: [{ b: 1 }, { b: 'x' }] });
    expect(withValueAt(document, ['c'], null)).toEqual({ a: [{ b: 1 }, { b: 2 }], c: null });
    expect(document).toEqual({ a: [{ b: 1 }, { b: 2 }] });
  });
});
