/** What the demo learns about one order. */
export interface TrackedOrder {
  id: string;
  status: string;
  /** True once the demo asked to cancel it (whether or not the cancel was accepted). */
  cancelAsked: boolean;
  createdAt: number;
  /** When the order reached its final state, from its own history. */
  settledAt: number | undefined;
}

export const FINAL_STATES = new Set(['SHIPPED', 'CANCELLED']);

export interface DemoSummary {
  byState: Record<string, number>;
  settled: number;
  total: number;
  latencyP50Ms: number | undefined;
  latencyP99Ms: number | undefined;
}

/** Counts per state and end-to-end latency (order created -> final state) percentiles. */
export function summarize(orders: readonly TrackedOrder[]): DemoSummary {
  const byState: Record<string, number> = {};
  for (const order of orders) byState[order.status] = (byState[order.status] ?? 0) + 1;
  const latencies = orders
    .filter((order) => order.settledAt !== undefined)
    .map((order) => (order.settledAt as number) - order.createdAt)
    .sort((a, b) => a - b);
  return {
    byState,
    settled: latencies.length,
    total: orders.length,
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
  };
}

/** Nearest-rank percentile of sorted values; undefined when there are none. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** A one-line bar per state, for the live view. */
export function renderStates(summary: DemoSummary, width = 40): string[] {
  const states = ['PENDING', 'SHIPMENT_CREATED', 'LABEL_CREATED', 'CANCEL_REQUESTED', 'SHIPPED', 'CANCELLED'];
  const extra = Object.keys(summary.byState).filter((state) => !states.includes(state));
  return [...states, ...extra].map((state) => {
    const count = summary.byState[state] ?? 0;
    const bar = '#'.repeat(summary.total === 0 ? 0 : Math.round((count / summary.total) * width));
    return `  ${state.padEnd(17)} ${String(count).padStart(4)}  ${bar.padEnd(width, '.')}`;
  });
}
