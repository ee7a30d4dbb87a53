import { demoIdempotencyKey, demoOrderBody } from './demo-orders.js';
import { InvalidRequestError, UpstreamError } from './errors.js';
import { callService } from './service-api.js';
import type { OrderSnapshot, OrderTimeline } from './timeline.js';
import { orderTimeline } from './timeline.js';

/** How many of the latest orders the Orders page shows (the order service's `GET /orders` allows 1 to 100). */
export const LISTED_ORDERS = 50;
/** The most demo orders one click places. */
export const MAX_DEMO_ORDERS = 20;

/**
 * The orders of the Orders page: the latest {@link LISTED_ORDERS} orders, whoever placed them, read fresh from the
 * order service's `GET /orders` on each call (the console keeps no state of its own); and the demo orders button.
 */
export class OrderFeed {
  /** Demo orders placed so far, to vary the next ones' customers and items. */
  private demoCount = 0;

  constructor(private readonly orderUrl: string) {}

  /** The latest orders' timelines, newest first. */
  async latest(): Promise<OrderTimeline[]> {
    const answer = await callService<unknown>(`${this.orderUrl}/orders?limit=${LISTED_ORDERS}`);
    if (answer.status !== 200) throw new UpstreamError(`GET /orders answered ${answer.status}`);
    if (!Array.isArray(answer.body) || !answer.body.every(isOrderSnapshot)) {
      throw new UpstreamError('GET /orders answered something other than a list of orders; are the versions apart?');
    }
    return answer.body.map(orderTimeline);
  }

  /** Places `count` demo orders (1 to {@link MAX_DEMO_ORDERS}); returns their ids. */
  async placeDemoOrders(count: unknown): Promise<string[]> {
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_DEMO_ORDERS) {
      throw new InvalidRequestError(`count: must be an integer from 1 to ${MAX_DEMO_ORDERS}`);
    }
    const placed: string[] = [];
    for (let index = 0; index < count; index++) {
      const answer = await callService<{ id?: string; message?: string }>(`${this.orderUrl}/orders`, {
        method: 'POST',
        body: demoOrderBody(this.demoCount++),
        headers: { 'idempotency-key': demoIdempotencyKey() },
      });
      if (answer.status !== 201 || typeof answer.body.id !== 'string') {
        throw new UpstreamError(
          `POST /orders answered ${answer.status}: ${answer.body.message ?? JSON.stringify(answer.body)}`,
        );
      }
      placed.push(answer.body.id);
    }
    return placed;
  }
}

/** Whether an order of `GET /orders` has what the timeline reads. */
function isOrderSnapshot(value: unknown): value is OrderSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const order = value as Record<string, unknown>;
  return (
    ['id', 'status', 'customerId', 'createdAt'].every((key) => typeof order[key] === 'string') &&
    Array.isArray(order.history) &&
    order.history.every(
      (entry: unknown) =>
        typeof entry === 'object' &&
        entry !== null &&
        ['type', 'status', 'occurredAt'].every((key) => typeof (entry as Record<string, unknown>)[key] === 'string'),
    )
  );
}
