/** What the console reads of an order (`GET /orders/:id` of the order service). */
export interface OrderSnapshot {
  id: string;
  status: string;
  customerId: string;
  createdAt: string;
  history: Array<{ type: string; status: string; occurredAt: string }>;
}

/** The steps of an order's timeline, in the order they happen. */
export const TIMELINE_STEPS = [
  { key: 'placed', label: 'placed', events: ['order.placed'] },
  { key: 'shipmentCreated', label: 'shipment created', events: ['shipment.created'] },
  { key: 'label', label: 'label', events: ['shipment.label_created'] },
  { key: 'dispatched', label: 'dispatched', events: ['shipment.dispatched'] },
  { key: 'cancelled', label: 'cancelled', events: ['shipment.cancelled', 'order.cancelled'] },
] as const;

export interface TimelineStep {
  label: string;
  /** When it happened (ISO), or null when it has not (yet). */
  at: string | null;
  /** Milliseconds since the previous step that happened, or null. */
  sincePreviousMs: number | null;
}

export interface OrderTimeline {
  id: string;
  status: string;
  customerId: string;
  placedAt: string;
  steps: TimelineStep[];
  /** Placed to dispatched (or cancelled), in ms; null while the order is under way. */
  endToEndMs: number | null;
  /** When the order was settled (dispatched or cancelled), or null. */
  settledAt: string | null;
}

/**
 * An order's timeline from its history: each step at the first event of its kind, with the time since the step
 * before. `cancelled` is shown only when it happened (an order ends dispatched or cancelled); a final cancellation
 * is the last `shipment.cancelled`, else `order.cancelled` once the order is CANCELLED.
 */
export function orderTimeline(order: OrderSnapshot): OrderTimeline {
  const firstAt = (events: readonly string[]): string | null =>
    order.history.find((entry) => events.includes(entry.type))?.occurredAt ?? null;
  const cancelled =
    order.status === 'CANCELLED' ? (firstAt(['shipment.cancelled']) ?? firstAt(['order.cancelled'])) : null;
  const times: Record<(typeof TIMELINE_STEPS)[number]['key'], string | null> = {
    placed: firstAt(['order.placed']) ?? order.createdAt,
    shipmentCreated: firstAt(['shipment.created']),
    label: firstAt(['shipment.label_created']),
    dispatched: firstAt(['shipment.dispatched']),
    cancelled,
  };
  let previous: number | undefined;
  const steps = TIMELINE_STEPS.filter((step) => step.key !== 'cancelled' || cancelled !== null).map((step) => {
    const at = times[step.key];
    const ms = at === null ? undefined : Date.parse(at);
    const sincePreviousMs = ms !== undefined && previous !== undefined ? ms - previous : null;
    if (ms !== undefined) previous = ms;
    return { label: step.label, at, sincePreviousMs };
  });
  const placedAt = times.placed ?? order.createdAt;
  const settledAt = times.dispatched ?? cancelled;
  return {
    id: order.id,
    status: order.status,
    customerId: order.customerId,
    placedAt,
    steps,
    endToEndMs: settledAt === null ? null : Date.parse(settledAt) - Date.parse(placedAt),
    settledAt,
  };
}
