import type { TestInfrastructure } from '@sqsref/dev-stack';
import { queueUrl, startTestInfrastructure } from '@sqsref/dev-stack';
import type { JsonClient } from '@sqsref/service-kit/testing';
import { jsonClient, query } from '@sqsref/service-kit/testing';
import { waitFor } from '@sqsref/sqs-transport/testing';
import { ServiceProcess } from './service-process.js';

/** Settings both services get in the suite (and the chaos suite): short waits and retries, so scenarios run in seconds. */
export const FAST = {
  HOST: '127.0.0.1',
  PORT: '0',
  SQS_WAIT_TIME_SECONDS: '2',
  SQS_VISIBILITY_TIMEOUT_SECONDS: '5',
  SQS_RETRY_BASE_DELAY_SECONDS: '0.2',
  SQS_RETRY_MAX_DELAY_SECONDS: '1',
  SHUTDOWN_TIMEOUT_MS: '5000',
  OUTBOX_IDLE_WAIT_MS: '200',
  OUTBOX_LEASE_MS: '2000',
  OUTBOX_RETRY_BASE_DELAY_MS: '200',
  LOG_LEVEL: 'debug',
};

export interface StackOptions {
  order?: Record<string, string>;
  shipping?: Record<string, string>;
  /** Start the order service. Default true. */
  withOrder?: boolean;
}

export interface Stack {
  infrastructure: TestInfrastructure;
  order: ServiceProcess;
  shipping: ServiceProcess;
  /** The order service's HTTP API. */
  orders: JsonClient;
  /** The shipping service's HTTP API. */
  shipments: JsonClient;
  queueUrl(name: string): string;
  /** Runs SQL on the order service's database. */
  orderDb<T extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  /** Runs SQL on the shipping service's database. */
  shippingDb<T extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

/**
 * fauxqs with the queues of infra/queues.json, one database per service on a real PostgreSQL, and both services
 * as child processes (each migrates its own database at start).
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const infrastructure = await startTestInfrastructure(['e2e_orders', 'e2e_shipping']);
  const databases = infrastructure.databases as Record<'e2e_orders' | 'e2e_shipping', { url: string }>;
  const base = { ...FAST, AWS_ENDPOINT_URL_SQS: infrastructure.sqs.endpoint, AWS_REGION: 'us-east-1' };
  const order = new ServiceProcess('order-service', {
    ...base,
    DATABASE_URL: databases.e2e_orders.url,
    ...options.order,
  });
  const shipping = new ServiceProcess('shipping-service', {
    ...base,
    DATABASE_URL: databases.e2e_shipping.url,
    LABEL_JOB_MS: '400',
    LABEL_FAILURE_RATE: '0',
    ...options.shipping,
  });
  const stop = async (): Promise<void> => {
    await Promise.all([order.stop('SIGKILL'), shipping.stop('SIGKILL')]);
    await infrastructure.stop();
  };
  try {
    await Promise.all([options.withOrder === false ? undefined : order.start(), shipping.start()]);
  } catch (error) {
    await stop();
    throw new Error(
      `${String(error)}\norder-service stderr:\n${order.stderr}\nshipping-service stderr:\n${shipping.stderr}`,
    );
  }
  return {
    infrastructure,
    order,
    shipping,
    orders: jsonClient(order.url),
    get shipments() {
      return jsonClient(shipping.url);
    },
    queueUrl: (name) => queueUrl(infrastructure, name),
    orderDb: (text, values) => query(databases.e2e_orders.url, text, values),
    shippingDb: (text, values) => query(databases.e2e_shipping.url, text, values),
    stop,
  };
}

/** An order request body. */
export function newOrder(customerId = 'e2e-customer') {
  return {
    customerId,
    items: [{ sku: 'BOOK-1', quantity: 1 }],
    shippingAddress: {
      name: 'Grace Hopper',
      line1: '1 Navy Way',
      city: 'Arlington',
      postalCode: '22201',
      country: 'US',
    },
  };
}

export interface OrderBody {
  id: string;
  status: string;
  shipment: { id: string; status: string; carrier: string | null; trackingNumber: string | null } | null;
  cancellation: { requestedAt: string; reason: string | null } | null;
  history: Array<{ type: string; status: string; eventId: string }>;
}

/** Places `count` orders, `parallel` at a time; returns their ids in order. */
export async function placeOrders(stack: Stack, count: number, parallel = 10): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += parallel) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(parallel, count - start) }, async () => {
        const response = await stack.orders.post<OrderBody>('/orders', newOrder());
        if (response.status !== 201) throw new Error(`POST /orders answered ${response.status}`);
        return response.body.id;
      }),
    );
    ids.push(...batch);
  }
  return ids;
}

/** Every order, read over HTTP. */
export async function readOrders(stack: Pick<Stack, 'orders'>, ids: readonly string[]): Promise<OrderBody[]> {
  return Promise.all(ids.map(async (id) => (await stack.orders.get<OrderBody>(`/orders/${id}`)).body));
}

/** Waits until every order satisfies `done`; the error names the ones that did not. */
export async function waitForOrders(
  stack: Pick<Stack, 'orders'>,
  ids: readonly string[],
  done: (order: OrderBody) => boolean,
  timeoutMs: number,
): Promise<OrderBody[]> {
  let last: OrderBody[] = [];
  try {
    return await waitFor(
      async () => {
        last = await readOrders(stack, ids);
        return last.every(done) ? last : undefined;
      },
      { timeoutMs, intervalMs: 250, description: 'every order settled' },
    );
  } catch (error) {
    const pending = last.filter((order) => !done(order)).map((order) => `${order.id}: ${order.status}`);
    throw new Error(`${String(error)}; not settled (${pending.length}): ${pending.slice(0, 10).join(', ')}`);
  }
}

/** Count of rows per key, from `SELECT key, count(*)::int AS n ...`. */
export function countsBy(rows: Array<Record<string, unknown>>): Map<string, number> {
  return new Map(rows.map((row) => [String(row.key), Number(row.n)]));
}
