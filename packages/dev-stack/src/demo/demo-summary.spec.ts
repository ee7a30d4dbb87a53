import { describe, expect, it } from '@jest/globals';
import { percentile, renderStates, summarize } from './demo-summary.js';

describe('demo summary', () => {
  it('counts orders per state and takes latency percentiles of the settled ones', () => {
    const summary = summarize([
      { id: 'a', status: 'SHIPPED', cancelAsked: false, createdAt: 0, settledAt: 100 },
      { id: 'b', status: 'CANCELLED', cancelAsked: true, createdAt: 0, settledAt: 300 },
      { id: 'c', status: 'LABEL_CREATED', cancelAsked: false, createdAt: 0, settledAt: undefined },
    ]);
    expect(summary).toEqual({
      byState: { SHIPPED: 1, CANCELLED: 1, LABEL_CREATED: 1 },
      settled: 2,
      total: 3,
      latencyP50Ms: 100,
      latencyP99Ms: 300,
    });
  });

  it('uses nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([], 50)).toBeUndefined();
  });

  it('renders a bar per state, proportional to its share', () => {
    const lines = renderStates(
      summarize([{ id: 'a', status: 'SHIPPED', cancelAsked: false, createdAt: 0, settledAt: 1 }]),
      10,
    );
    expect(lines.find((line) => line.includes('SHIPPED'))).toContain('##########');
    expect(lines.find((line) => line.includes('PENDING'))).toContain('..........');
  });
});
