import { demoIdempotencyKey, demoOrderBody } from './demo-orders.js';
import { InvalidRequestError, UpstreamError } from './errors.js';
import { callService } from './service-api.js';
import type { OrderSnapshot, OrderTimeline } from './timeline.js';
import { orderTimeline } from './timeline.js';

/** The most orders the console follows; the oldest is dropped first. */
export const MAX_TRACKED_ORDERS = 50;
/** The most demo orders one click places. */
export const MAX_DEMO_ORDERS = 20;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The orders the console follows: those it placed and those added by id (the order service has no list endpoint,
 * and the console keeps no database). Read fresh from `GET /orders/:id` on each call.
 */
export class OrderTracker {
  private readonly ids: string[] = [];

  constructor(private readonly orderUrl: string) {}

  /** Follows an order by id, after checking that the order service knows it. */
  async track(id: unknown): Promise<OrderTimeline> {
    if (typeof id !== 'string' || !UUID.test(id.trim()))
      throw new InvalidRequestError('id: must be an order id (a UUID)');
    const order = await this.read(id.trim().toLowerCase());
    if (!order) throw new InvalidRequestError(`id: the order service has no order ${id}`);
    this.remember(order.id);
    return orderTimeline(order);
  }

  /** Places `count` demo orders (1 to {@link MAX_DEMO_ORDERS}) and follows them. */
  async placeDemoOrders(count: unknown): Promise<string[]> {
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_DEMO_ORDERS) {
      throw new InvalidRequestError(`count: must be an integer from 1 to ${MAX_DEMO_ORDERS}`);
    }
    const placed: string[] = [];
    for (let index = 0; index < count; index++) {
      const answer = await callService<{ id?: string; message?: string }>(`${this.orderUrl}/orders`, {
        method: 'POST',
        body: demoOrderBody(this.ids.length + index),
        headers: { 'idempotency-key': demoIdempotencyKey() },
      });
      if (answer.status !== 201 || typeof answer.body.id !== 'string') {
        throw new UpstreamError(
          `POST /orders answered ${answer.status}: ${answer.body.message ?? JSON.stringify(answer.body)}`,
        );
      }
      this.remember(answer.body.id);
      placed.push(answer.body.id);
    }
    return placed;
  }

  /** Every followed order's timeline, newest first (orders the service no longer knows are left out). */
  async timelines(): Promise<OrderTimeline[]> {
    const orders = await Promise.all([...this.ids].reverse().map((id) => this.read(id)));
    return orders.filter((order): order is OrderSnapshot => order !== undefined).map(orderTimeline);
  }

  private remember(id: string): void {
    if (this.ids.includes(id)) return;
    this.ids.push(id);
    if (this.ids.length > MAX_TRACKED_ORDERS) this.ids.shift();
  }

  private async read(id: string): Promise<OrderSnapshot | undefined> {
    const answer = await callService<OrderSnapshot>(`${this.orderUrl}/orders/${encodeURIComponent(id)}`);
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw new UpstreamError(`GET /orders/${id} answered ${answer.status}`);
    return answer.body;
  }
}
