import { describe, expect, it } from '@jest/globals';
import { isUniqueViolation } from './prisma-client.js';

describe('isUniqueViolation', () => {
  const p2002 = {
    code: 'P2002',
    meta: { driverAdapterError: { cause: { constraint: { fields: ['idempotency_key'] } } } },
  };

  it("recognises Prisma's P2002, optionally on a given column or constraint", () => {
    expect(isUniqueViolation(p2002)).toBe(true);
    expect(isUniqueViolation(p2002, 'idempotency_key')).toBe(true);
    expect(isUniqueViolation(p2002, 'order_id')).toBe(false);
  });

  it('ignores everything else', () => {
    expect(isUniqueViolation({ code: 'P2025' })).toBe(false);
    expect(isUniqueViolation(new Error('boom'))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });
});
