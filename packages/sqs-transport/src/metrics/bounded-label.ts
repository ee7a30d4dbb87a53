/** What a label value becomes once its label has seen `limit` distinct values. */
export const OVERFLOW_LABEL = 'other';

/**
 * Keeps a label's cardinality bounded: the first `limit` distinct values pass as they are, every later one becomes
 * {@link OVERFLOW_LABEL}. Event types and error codes come from messages, so a producer (or an attacker) sending
 * made-up types must not grow the metrics without end.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(private readonly limit: number) {}

  value(raw: string | undefined, fallback = 'unknown'): string {
    const value = raw === undefined || raw === '' ? fallback : raw;
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.limit) return OVERFLOW_LABEL;
    this.seen.add(value);
    return value;
  }
}
