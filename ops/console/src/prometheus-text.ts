/**
 * The sum of every sample of one metric in Prometheus's text format (all label sets), or undefined when the text
 * has no sample of it. `name` is matched exactly (`x_total` does not match `x_total_created`).
 */
export function sumMetric(text: string, name: string): number | undefined {
  let sum: number | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(name)) continue;
    // `x_total_created ...` also starts with `x_total`: its rest does not parse as a number, so it is skipped.
    const rest = line.slice(name.length);
    const value = Number(
      rest
        .slice(rest[0] === '{' ? rest.lastIndexOf('}') + 1 : 0)
        .trim()
        .split(/\s+/)[0],
    );
    if (Number.isFinite(value)) sum = (sum ?? 0) + value;
  }
  return sum;
}
