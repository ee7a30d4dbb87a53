// End to end (npm run bench runs it after the consume benchmark): both services as child processes (dev-stack), fauxqs
// with the queues of infra/queues.json, one database per service on PostgreSQL (DATABASE_URL's server, else embedded).
// For the label job at 0 ms and at its default (LABEL_JOB_MS 3000):
//   - throughput: BENCH_E2E_ORDERS orders posted at once (20 requests in flight); orders/s from the first POST until
//     the last order is SHIPPED, printed beside the ceiling the label job sets (shipping's SQS_CONCURRENCY / label time);
//   - latency: orders posted at half that rate, one at a time; commit of the order to its SHIPPED history row, p50/p99.
// Then memory: each service's RSS before and after a soak of BENCH_SOAK_MESSAGES messages (label job at 0 ms; each
// order is 5 messages through the services' consumers, counted from their inbox tables).
// Writes bench/results/system.json and bench/results/memory.json.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { spawnService, serviceEntry, startTestInfrastructure } from '@sqsref/dev-stack';
import { freePort } from '@sqsref/sqs-transport/testing';
import pg from 'pg';
import { median, percentile, sizeFromEnv, writeResults } from './lib.mjs';

const ORDERS = sizeFromEnv('BENCH_E2E_ORDERS', 300);
const SOAK_MESSAGES = sizeFromEnv('BENCH_SOAK_MESSAGES', 50_000);
const SHIPPING_CONCURRENCY = 50; // shipping's SQS_CONCURRENCY default: handlers at once, label jobs included
const DEFAULT_LABEL_MS = 3_000; // shipping's LABEL_JOB_MS default
const MESSAGES_PER_ORDER = 5; // order.placed, shipment.created, the label request, label_created, dispatched
const IN_FLIGHT = 20;

const order = () => ({
  customerId: 'bench',
  items: [{ sku: 'BOOK-1', quantity: 1 }],
  shippingAddress: { name: 'Ada Lovelace', line1: '1 Bench Way', city: 'London', postalCode: 'N1 1AA', country: 'GB' },
});

async function sql(url, text, values = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Resident set size of a process, in MiB (Linux /proc). */
function rssMiB(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('VmRSS:'));
  return Math.round(Number(line?.match(/\d+/)?.[0] ?? Number.NaN) / 1024);
}

async function startSystem(labelMs) {
  const infrastructure = await startTestInfrastructure(['bench_orders', 'bench_shipping']);
  const [orderPort, shippingPort] = [await freePort(), await freePort()];
  const common = {
    AWS_ENDPOINT_URL_SQS: infrastructure.sqs.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    OUTBOX_IDLE_WAIT_MS: '200',
  };
  const lines = [];
  const spawn = (name, port, env) =>
    spawnService(
      {
        name,
        entry: serviceEntry(name),
        url: `http://127.0.0.1:${port}`,
        env: { ...common, PORT: String(port), ...env },
        inheritEnv: false,
      },
      (line) => lines.push(`${name}: ${line}`),
    );
  const services = {
    order: spawn('order-service', orderPort, { DATABASE_URL: infrastructure.databases.bench_orders.url }),
    shipping: spawn('shipping-service', shippingPort, {
      DATABASE_URL: infrastructure.databases.bench_shipping.url,
      LABEL_JOB_MS: String(labelMs),
      LABEL_FAILURE_RATE: '0', // failures and their retries are the chaos suite's subject, not this one's
    }),
  };
  const stop = async () => {
    await Promise.all(Object.values(services).map((service) => service.stop(30_000)));
    await infrastructure.stop();
  };
  try {
    await Promise.all(Object.values(services).map((service) => service.ready(90_000)));
  } catch (error) {
    await stop();
    throw new Error(`${String(error)}\n${lines.slice(-20).join('\n')}`);
  }
  return {
    orderUrl: services.order.spec.url,
    ordersDb: infrastructure.databases.bench_orders.url,
    shippingDb: infrastructure.databases.bench_shipping.url,
    services,
    stop,
  };
}

let retriedPosts = 0;

/**
 * Places one order. A 503 (the services shed load when a dependency is slow) is retried after its Retry-After with the
 * same Idempotency-Key, as the API asks, so a retry never places a second order; `retriedPosts` counts them.
 */
async function post(system) {
  const idempotencyKey = randomUUID();
  const body = JSON.stringify(order());
  for (let attempt = 1; ; attempt += 1) {
    const response = await fetch(`${system.orderUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body,
    });
    if (response.status === 201 || response.status === 200) return (await response.json()).id;
    const text = await response.text();
    if (response.status !== 503 || attempt >= 10) throw new Error(`POST /orders answered ${response.status}: ${text}`);
    retriedPosts += 1;
    await delay(1000 * Number(response.headers.get('retry-after') ?? 1));
  }
}

/** Posts `count` orders, `IN_FLIGHT` requests at a time, or one every `intervalMs` when given; returns their ids. */
async function placeOrders(system, count, intervalMs) {
  const ids = [];
  if (intervalMs !== undefined) {
    const pending = [];
    for (let i = 0; i < count; i += 1) {
      pending.push(post(system).then((id) => ids.push(id)));
      await delay(intervalMs);
    }
    await Promise.all(pending);
    return ids;
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) {
        next += 1;
        ids.push(await post(system));
      }
    }),
  );
  return ids;
}

/** Resolves when every order of `ids` is SHIPPED, checking the order database; rejects after `timeoutMs`. */
async function untilShipped(system, ids, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [{ n }] = await sql(
      system.ordersDb,
      `SELECT count(*)::int AS n FROM orders WHERE id = ANY($1::uuid[]) AND status = 'SHIPPED'`,
      [ids],
    );
    if (n === ids.length) return;
    if (Date.now() > deadline) throw new Error(`only ${n} of ${ids.length} orders shipped within ${timeoutMs} ms`);
    await delay(50);
  }
}

/** Milliseconds from each order's commit to its SHIPPED history row (both clocks PostgreSQL's). */
async function latencies(system, ids) {
  const rows = await sql(
    system.ordersDb,
    `SELECT extract(epoch FROM (h.recorded_at - o.created_at)) * 1000 AS ms
       FROM orders o JOIN order_history h ON h.order_id = o.id AND h.status = 'SHIPPED'
      WHERE o.id = ANY($1::uuid[])`,
    [ids],
  );
  return rows.map((row) => Number(row.ms));
}

async function endToEnd(system, labelMs) {
  retriedPosts = 0;
  await untilShipped(system, await placeOrders(system, 10), 120_000); // warm-up
  const started = performance.now();
  const burst = await placeOrders(system, ORDERS);
  await untilShipped(system, burst, 600_000);
  const ordersPerSecond = (ORDERS * 1000) / (performance.now() - started);
  const paced = await placeOrders(system, Math.max(10, Math.round(ORDERS / 3)), 2000 / ordersPerSecond);
  await untilShipped(system, paced, 600_000);
  const ms = await latencies(system, paced);
  const ceiling = labelMs === 0 ? undefined : (SHIPPING_CONCURRENCY * 1000) / labelMs;
  return {
    'label job': `${labelMs} ms${labelMs === DEFAULT_LABEL_MS ? ' (default)' : ''}`,
    'orders/s': Number(ordersPerSecond.toFixed(1)),
    'ceiling (label concurrency / label time)':
      ceiling === undefined ? 'none (no label time)' : Number(ceiling.toFixed(1)),
    'vs ceiling': ceiling === undefined ? '' : (ordersPerSecond / ceiling).toFixed(2),
    'POST to SHIPPED p50 (ms)': Math.round(median(ms)),
    'p99 (ms)': Math.round(percentile(ms, 99)),
    'orders (burst / paced)': `${ORDERS} / ${paced.length}`,
    'POSTs retried after a 503': retriedPosts,
  };
}

/** Runs after `endToEnd` on the same system, which warmed it up (code loaded, pools filled). */
async function soak(system) {
  retriedPosts = 0;
  const consumedBefore = await consumed(system);
  await delay(2_000);
  const before = {
    order: rssMiB(system.services.order.child.pid),
    shipping: rssMiB(system.services.shipping.child.pid),
  };
  const orders = Math.ceil(SOAK_MESSAGES / MESSAGES_PER_ORDER);
  const waves = { order: [], shipping: [] };
  for (let done = 0; done < orders; done += 1_000) {
    await untilShipped(system, await placeOrders(system, Math.min(1_000, orders - done)), 600_000);
    waves.order.push(rssMiB(system.services.order.child.pid));
    waves.shipping.push(rssMiB(system.services.shipping.child.pid));
  }
  await delay(2_000);
  const after = {
    order: rssMiB(system.services.order.child.pid),
    shipping: rssMiB(system.services.shipping.child.pid),
  };
  const messages = (await consumed(system)) - consumedBefore;
  return ['order', 'shipping'].map((service) => ({
    service,
    'RSS before (MiB)': before[service],
    'RSS after (MiB)': after[service],
    'after / before': (after[service] / before[service]).toFixed(2),
    'RSS after each 1,000 orders (MiB)': waves[service].join(' '),
    'messages consumed by both services': messages,
    'POSTs retried after a 503': retriedPosts,
  }));
}

/** Messages both services have consumed so far: rows of their inbox tables (every handler here is idempotent). */
async function consumed(system) {
  const [{ n: order }] = await sql(system.ordersDb, 'SELECT count(*)::int AS n FROM sqs_inbox');
  const [{ n: shipping }] = await sql(system.shippingDb, 'SELECT count(*)::int AS n FROM sqs_inbox');
  return order + shipping;
}

/**
 * What bounds the default-label figure in this run: the label ceiling, or the chain itself (its rate with the label job
 * at 0 ms) when that is lower. A 0 ms run slower than the default one means the machine's load changed between them.
 */
function chainNotes([atZero, atDefault]) {
  if (!atZero || !atDefault) return [];
  const zero = atZero['orders/s'];
  const slow = atDefault['orders/s'];
  const ceiling = atDefault['ceiling (label concurrency / label time)'];
  if (zero >= ceiling) return [];
  if (slow > zero) {
    return [
      `The 0 ms run (${zero} orders/s) was slower than the default one (${slow}): the machine's load changed between them, so neither says what bounds the other; rerun on a quiet machine.`,
    ];
  }
  return [
    `The chain itself (${zero} orders/s with the label job at 0 ms) is below the label ceiling, so it, not the label job, bounds the default: ${slow} orders/s is ${(slow / zero).toFixed(2)} of the 0 ms rate.`,
  ];
}

const rows = [];
let memory;
for (const labelMs of [0, DEFAULT_LABEL_MS]) {
  const system = await startSystem(labelMs);
  try {
    const row = await endToEnd(system, labelMs);
    process.stderr.write(`  end to end, label ${labelMs} ms: ${JSON.stringify(row)}\n`);
    rows.push(row);
    if (labelMs === 0) memory = await soak(system);
  } finally {
    await system.stop();
  }
}
const systemTitle = 'End to end: orders/s the stack sustains, POST /orders to SHIPPED';
const systemNotes = [
  `Both services as child processes with their defaults (shipping's SQS_CONCURRENCY ${SHIPPING_CONCURRENCY}), LABEL_FAILURE_RATE 0, fauxqs in memory, PostgreSQL ${process.env.DATABASE_URL ? 'from DATABASE_URL' : 'embedded'}.`,
  `Throughput: ${ORDERS} orders posted ${IN_FLIGHT} at a time after a 10-order warm-up, from the first POST until the last is SHIPPED. Latency: then orders posted one at a time at half that rate, from the order's creation to its SHIPPED history row (both stamped by the order service).`,
  'The ceiling: label jobs run at most SQS_CONCURRENCY at a time, each taking LABEL_JOB_MS, so no more than SQS_CONCURRENCY / LABEL_JOB_MS orders ship per second.',
];
console.log(`\n${systemTitle}\n`);
console.table(rows);
systemNotes.push(...chainNotes(rows));
writeResults('system', { title: systemTitle, rows, notes: systemNotes });

const memoryTitle = `Memory: each service's RSS before and after a ${SOAK_MESSAGES.toLocaleString('en-US')}-message soak`;
console.log(`\n${memoryTitle}\n`);
console.table(memory);
writeResults('memory', {
  title: memoryTitle,
  rows: memory,
  notes: [
    'Label job at 0 ms, on the system the 0 ms end-to-end run warmed up; orders posted in waves of 1,000, each shipped before the next; RSS read from /proc 2 s before the first wave and 2 s after the last order shipped (no forced GC).',
  ],
});
