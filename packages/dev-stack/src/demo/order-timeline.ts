/** One entry of an order's history, as `GET /orders/:id` returns it. */
export interface HistoryEntry {
  type: string;
  status: string;
  /** When the event happened, in the service that emitted it. */
  occurredAt: string;
}

/** One step of an order's path across the services. */
export interface TimelineStep {
  /** The service the step happened in: `order.*` events are the order service's, `shipment.*` shipping's. */
  service: 'order-service' | 'shipping-service';
  type: string;
  status: string;
  /** Since the order was placed, in ms. */
  atMs: number;
  /** Since the step before, in ms (0 for the first). */
  sinceLastMs: number;
}

/**
 * An order's history as a timeline across both services: each event, where it happened, and the time since the
 * order was placed and since the step before. Entries keep the service's order (`seq`); times come from each event's
 * `occurredAt`, so a step that happened in the other service shows the time the message took to cross the queue.
 */
export function timelineOf(history: readonly HistoryEntry[]): TimelineStep[] {
  const first = history[0] === undefined ? 0 : Date.parse(history[0].occurredAt);
  let last = first;
  return history.map((entry) => {
    const at = Date.parse(entry.occurredAt);
    const step: TimelineStep = {
      service: entry.type.startsWith('shipment.') ? 'shipping-service' : 'order-service',
      type: entry.type,
      status: entry.status,
      atMs: at - first,
      sinceLastMs: at - last,
    };
    last = at;
    return step;
  });
}

/** The order whose history took longest from its first entry to its last; undefined when none has a history. */
export function slowestOrder<T extends { history: readonly HistoryEntry[] }>(orders: readonly T[]): T | undefined {
  let slowest: T | undefined;
  let longest = -1;
  for (const order of orders) {
    const steps = timelineOf(order.history);
    const total = steps.at(-1)?.atMs ?? -1;
    if (total > longest) {
      longest = total;
      slowest = order;
    }
  }
  return slowest;
}

/** The timeline as text lines: time since placed, time since the step before, service, event and status. */
export function renderTimeline(steps: readonly TimelineStep[]): string[] {
  const ms = (value: number): string => `${value} ms`.padStart(9);
  return steps.map(
    (step) =>
      `  ${ms(step.atMs)}  (+${`${step.sinceLastMs} ms)`.padEnd(10)} ${step.service.padEnd(16)} ${step.type.padEnd(26)} -> ${step.status}`,
  );
}
