import { describe, expect, it } from '@jest/globals';
import { databaseTimeouts } from './database-timeouts.js';

describe('databaseTimeouts', () => {
  it('derives every database timeout from the bound, each within it', () => {
    expect(databaseTimeouts(5_000)).toEqual({
      connectMs: 2_500,
      statementMs: 2_500,
      queryMs: 3_000,
      transactionMs: 5_000,
    });
  });

  it('keeps the client-side query deadline after the server-side statement timeout, even for tiny bounds', () => {
    for (const bound of [100, 101, 999, 1_000, 600_000]) {
      const timeouts = databaseTimeouts(bound);
      expect(timeouts.queryMs).toBeGreaterThan(timeouts.statementMs);
      expect(timeouts.queryMs).toBeLessThan(bound);
      expect(timeouts.connectMs).toBeLessThan(bound);
    }
  });
});
