import { describe, expect, it } from '@jest/globals';
import { expandGrafanaIntervals, promqlReferences } from './promql.js';

describe('promqlReferences', () => {
  it('lists the metrics of the selectors and the labels of matchers and groupings, not functions or keywords', () => {
    const references = promqlReferences(
      'histogram_quantile(0.99, sum by (le, queue) (rate(a_seconds_bucket{queue=~"$queue", type!="x"}[5m]))) / on (queue) group_left (job) b_total offset 1m',
    );
    expect(references).toEqual({
      metrics: ['a_seconds_bucket', 'b_total'],
      labels: ['le', 'queue', 'type', 'job'],
      errors: [],
    });
  });

  it('reports where an expression does not parse', () => {
    expect(promqlReferences('sum(rate(x_total[5m])').errors).not.toEqual([]);
    expect(promqlReferences('rate(x_total[$__rate_interval])').errors).not.toEqual([]);
    expect(promqlReferences('x_total{queue=}').errors).not.toEqual([]);
  });

  it("replaces Grafana's interval variables, so the expression parses as Prometheus receives it", () => {
    expect(expandGrafanaIntervals('rate(x_total[$__rate_interval]) + increase(y_total[${__range}])')).toBe(
      'rate(x_total[5m]) + increase(y_total[5m])',
    );
    expect(promqlReferences(expandGrafanaIntervals('rate(x_total[$__rate_interval])')).errors).toEqual([]);
  });
});
