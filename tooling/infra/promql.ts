import { parser } from '@prometheus-io/lezer-promql';

/** What a PromQL expression refers to: the metric names it selects and the label names it matches or groups by. */
export interface PromqlReferences {
  /** Metric names of the vector selectors, as written (a histogram's `_bucket`, `_sum`, `_count` included). */
  metrics: string[];
  /** Label names of the label matchers and of `by`, `without`, `on`, `ignoring` and `group_*` clauses. */
  labels: string[];
  /** Where the expression does not parse, as `offset N: text`; empty when it parses. */
  errors: string[];
}

/**
 * Grafana's built-in interval variables, which PromQL itself does not know: each is replaced by a duration before
 * parsing, so a dashboard's expressions parse as Prometheus would receive them.
 */
const GRAFANA_INTERVALS = /\$__(rate_interval|interval|range)\b|\$\{__(rate_interval|interval|range)\}/g;

/** The expression with Grafana's interval variables replaced by `5m` (template variables in strings stay). */
export function expandGrafanaIntervals(expression: string): string {
  return expression.replace(GRAFANA_INTERVALS, '5m');
}

/**
 * Parses a PromQL expression with Prometheus's own grammar (@prometheus-io/lezer-promql, the parser of Prometheus's
 * web UI) and lists what it refers to.
 */
export function promqlReferences(expression: string): PromqlReferences {
  const tree = parser.parse(expression);
  const metrics: string[] = [];
  const labels: string[] = [];
  const errors: string[] = [];
  const cursor = tree.cursor();
  do {
    const name = cursor.type.name;
    const text = expression.slice(cursor.from, cursor.to);
    if (cursor.type.isError) errors.push(`offset ${cursor.from}: ${JSON.stringify(expression.slice(cursor.from))}`);
    else if (name === 'Identifier' && cursor.node.parent?.type.name === 'VectorSelector') metrics.push(text);
    else if (name === 'LabelName') labels.push(text);
  } while (cursor.next());
  return { metrics: [...new Set(metrics)], labels: [...new Set(labels)], errors };
}
