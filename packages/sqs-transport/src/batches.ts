import { SQS_MAX_BATCH_ENTRIES } from './sqs-limits.js';

/**
 * How messages are cut into SQS batch calls: by queue (a batch call names one queue), then into runs of at most
 * {@link SQS_MAX_BATCH_ENTRIES}. Both keep the given order, so FIFO group order survives the cut.
 */

/** The items by key (a queue URL or name), each group in the given order; groups in the order their key first came. */
export function groupBy<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Consecutive runs of at most `size` items (SQS's 10 entries by default), in the given order. */
export function inBatches<T>(items: readonly T[], size: number = SQS_MAX_BATCH_ENTRIES): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}
