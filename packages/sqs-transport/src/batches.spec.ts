import { describe, expect, it } from '@jest/globals';
import { groupBy, inBatches } from './batches.js';

describe('groupBy', () => {
  it('groups by key, keeping the order within each group and of the keys', () => {
    const messages = [
      { queue: 'b', id: 1 },
      { queue: 'a', id: 2 },
      { queue: 'b', id: 3 },
    ];
    expect([...groupBy(messages, (message) => message.queue)]).toEqual([
      ['b', [messages[0], messages[2]]],
      ['a', [messages[1]]],
    ]);
    expect(groupBy([], String).size).toBe(0);
  });
});

describe('inBatches', () => {
  it("cuts into runs of SQS's 10 entries, in order", () => {
    const items = Array.from({ length: 25 }, (_, index) => index);
    const batches = inBatches(items);
    expect(batches.map((batch) => batch.length)).toEqual([10, 10, 5]);
    expect(batches.flat()).toEqual(items);
    expect(inBatches([])).toEqual([]);
  });

  it('takes another size', () => {
    expect(inBatches([1, 2, 3], 2)).toEqual([[1, 2], [3]]);
  });
});
