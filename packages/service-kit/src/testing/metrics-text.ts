import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/** One sample of a parsed exposition: its labels, and its value (a histogram's: its count). */
export interface MetricSample {
  labels: Record<string, string>;
  value: number;
}

/** A parsed `GET /metrics` text: metric family name -> type and samples. */
export type ParsedMetrics = Map<string, { type: string; samples: MetricSample[] }>;

/**
 * Parses Prometheus's text exposition format with a real parser (`parse-prometheus-text-format`, prom2json's
 * format), so a malformed exposition fails the test instead of being skimmed by a regular expression. That parser
 * folds a labelled histogram's series into one sample without labels, so histogram families keep their type and no
 * samples here: read their counts from the registry.
 */
export function parseMetrics(text: string): ParsedMetrics {
  const parsed: ParsedMetrics = new Map();
  for (const family of parsePrometheusTextFormat(text)) {
    parsed.set(family.name, {
      type: family.type,
      samples:
        family.type === 'HISTOGRAM' || family.type === 'SUMMARY'
          ? []
          : family.metrics.map((sample) => ({ labels: sample.labels ?? {}, value: Number(sample.value) })),
    });
  }
  return parsed;
}

/**
 * The sum of a counter's or gauge's samples whose labels include `labels`; 0 when none match. Throws when the family
 * is missing altogether (a renamed metric must fail loudly) or is a histogram (see {@link parseMetrics}).
 */
export function metricValue(metrics: ParsedMetrics, name: string, labels: Record<string, string> = {}): number {
  const family = metrics.get(name);
  if (!family) throw new Error(`no metric family "${name}" in the exposition`);
  if (family.type === 'HISTOGRAM' || family.type === 'SUMMARY') {
    throw new Error(`"${name}" is a ${family.type.toLowerCase()}: read its counts from the registry`);
  }
  return family.samples
    .filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}
