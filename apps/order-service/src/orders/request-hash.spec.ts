import { describe, expect, it } from '@jest/globals';
import { canonicalJson, requestHash } from './request-hash.js';

describe('requestHash', () => {
  it('ignores the order of object keys at every level, and undefined fields', () => {
    const a = { customerId: 'c', items: [{ sku: 'A', quantity: 1 }], shippingAddress: { city: 'X', line2: undefined } };
    const b = { shippingAddress: { city: 'X' }, items: [{ quantity: 1, sku: 'A' }], customerId: 'c' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(requestHash(a)).toBe(requestHash(b));
  });

  it('keeps the order of arrays and tells different bodies apart', () => {
    const one = { items: [{ sku: 'A' }, { sku: 'B' }] };
    expect(requestHash(one)).not.toBe(requestHash({ items: [{ sku: 'B' }, { sku: 'A' }] }));
    expect(requestHash({ quantity: 1 })).not.toBe(requestHash({ quantity: 2 }));
    expect(requestHash(one)).toMatch(/^[0-9a-f]{64}$/);
  });
});
