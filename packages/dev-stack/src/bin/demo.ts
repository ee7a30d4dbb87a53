#!/usr/bin/env node
// npm run demo: against a running stack (npm start), places a batch of orders, cancels some at random
// moments, shows their states live until all settle, then prints a summary. It finds the stack as npm start set it
// up (what npm start recorded, else the same variables); with none answering it says, in one line, what to run.
import { GetQueueAttributesCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { createSqsClient } from '@sqsref/sqs-transport';
import type { TrackedOrder } from '../demo/demo-summary.js';
import { FINAL_STATES, renderStates, summarize } from '../demo/demo-summary.js';
import { expectStack, findDemoTarget } from '../demo/demo-target.js';
import type { HistoryEntry } from '../demo/order-timeline.js';
import { renderTimeline, slowestOrder, timelineOf } from '../demo/order-timeline.js';
import { readQueueDefinitions, REPO_ROOT } from '../repo-paths.js';

let target: Awaited<ReturnType<typeof findDemoTarget>>;
try {
  target = await findDemoTarget(process.env, REPO_ROOT);
  await expectStack(target);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
const { orderUrl, shippingUrl, sqsEndpoint } = target;
const count = Number(process.argv.find((arg) => arg.startsWith('--orders='))?.split('=')[1] ?? 40);
const cancelShare = Number(process.argv.find((arg) => arg.startsWith('--cancel='))?.split('=')[1] ?? 0.3);
const timeoutMs = 5 * 60_000;

interface OrderJson {
  id: string;
  status: string;
  createdAt: string;
  history: HistoryEntry[];
}

interface ServiceStats {
  duplicates?: number;
  deadLettered?: number;
}

async function json<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as T };
}

function newOrder(n: number): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `demo-${process.pid}-${n}` },
    body: JSON.stringify({
      customerId: `demo-customer-${n % 7}`,
      items: [{ sku: `SKU-${n % 13}`, quantity: 1 + (n % 3) }],
      shippingAddress: {
        name: 'Demo Customer',
        line1: `${n} Demo Street`,
        city: 'Berlin',
        postalCode: '10115',
        country: 'DE',
      },
    }),
  };
}

async function deadLetteredTotal(): Promise<number> {
  const definitions = readQueueDefinitions();
  const sqs = createSqsClient({ endpoint: sqsEndpoint });
  try {
    let total = 0;
    for (const queue of definitions.queues) {
      if (!queue.deadLetter) continue;
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queue.deadLetter.name }));
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      total +=
        Number(Attributes.ApproximateNumberOfMessages ?? 0) +
        Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
    }
    return total;
  } finally {
    sqs.destroy();
  }
}

async function duplicatesAbsorbed(): Promise<number | undefined> {
  const stats = await Promise.all(
    [orderUrl, shippingUrl].map((url) =>
      json<ServiceStats>(`${url}/stats`).then(
        (response) => (response.status === 200 ? response.body.duplicates : undefined),
        () => undefined,
      ),
    ),
  );
  return stats.every((value) => value === undefined)
    ? undefined
    : stats.reduce<number>((sum, value) => sum + (value ?? 0), 0);
}

const tty = process.stdout.isTTY;
let drawnLines = 0;
function draw(orders: TrackedOrder[], elapsedMs: number): void {
  const summary = summarize(orders);
  const lines = [
    `${summary.settled}/${summary.total} settled after ${(elapsedMs / 1000).toFixed(1)} s`,
    ...renderStates(summary),
  ];
  if (tty) {
    if (drawnLines > 0) process.stdout.write(`\x1b[${drawnLines}A`);
    process.stdout.write(lines.map((line) => `\x1b[2K${line}`).join('\n') + '\n');
    drawnLines = lines.length;
  } else {
    process.stdout.write(`${lines[0]}\n`);
  }
}

try {
  const started = Date.now();
  const deadLetteredBefore = await deadLetteredTotal().catch(() => 0);
  const duplicatesBefore = await duplicatesAbsorbed();
  process.stdout.write(
    `Placing ${count} orders at ${orderUrl}; about ${Math.round(count * cancelShare)} will be cancelled at random moments.\n\n`,
  );

  const orders: TrackedOrder[] = [];
  /** Each order's history as last read: the slowest one's is printed as a timeline at the end. */
  const histories = new Map<string, HistoryEntry[]>();
  for (let n = 0; n < count; n += 1) {
    const { status, body } = await json<OrderJson>(`${orderUrl}/orders`, newOrder(n));
    if (status !== 201) throw new Error(`POST /orders answered ${status}: ${JSON.stringify(body)}`);
    orders.push({
      id: body.id,
      status: body.status,
      cancelAsked: false,
      createdAt: Date.parse(body.createdAt),
      settledAt: undefined,
    });
  }
  const toCancel = new Set(orders.filter(() => Math.random() < cancelShare).map((order) => order.id));
  const cancelAt = new Map([...toCancel].map((id) => [id, Date.now() + Math.random() * 4_000]));

  while (orders.some((order) => !FINAL_STATES.has(order.status))) {
    if (Date.now() - started > timeoutMs)
      throw new Error('Orders did not settle within 5 minutes; is the shipping service running?');
    for (const order of orders) {
      const due = cancelAt.get(order.id);
      if (due !== undefined && Date.now() >= due && !order.cancelAsked) {
        order.cancelAsked = true;
        await fetch(`${orderUrl}/orders/${order.id}/cancel`, { method: 'POST' });
      }
    }
    await Promise.all(
      orders
        .filter((order) => !FINAL_STATES.has(order.status))
        .map(async (order) => {
          const { body } = await json<OrderJson>(`${orderUrl}/orders/${order.id}`);
          order.status = body.status;
          histories.set(order.id, body.history);
          if (FINAL_STATES.has(body.status)) {
            const final = body.history.find((entry) => entry.status === body.status);
            order.settledAt = Date.parse(final?.occurredAt ?? new Date().toISOString());
          }
        }),
    );
    draw(orders, Date.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  draw(orders, Date.now() - started);

  const summary = summarize(orders);
  const duplicatesAfter = await duplicatesAbsorbed();
  const deadLettered = (await deadLetteredTotal().catch(() => deadLetteredBefore)) - deadLetteredBefore;
  process.stdout.write(
    [
      '',
      'Summary',
      ...Object.entries(summary.byState).map(([state, n]) => `  ${state.padEnd(17)} ${n}`),
      `  cancels asked      ${orders.filter((order) => order.cancelAsked).length} (an order already dispatched is shipped, its cancel rejected)`,
      `  end-to-end latency p50 ${summary.latencyP50Ms ?? '-'} ms, p99 ${summary.latencyP99Ms ?? '-'} ms (order created -> final state)`,
      `  duplicates absorbed by the inboxes: ${duplicatesAfter === undefined ? 'n/a' : duplicatesAfter - (duplicatesBefore ?? 0)}`,
      `  messages dead-lettered: ${deadLettered}`,
      '',
    ].join('\n'),
  );
  const slowest = slowestOrder([...histories].map(([id, history]) => ({ id, history })));
  if (slowest) {
    process.stdout.write(
      [
        `Slowest order ${slowest.id}, across both services (from its history; since placed, since the step before):`,
        ...renderTimeline(timelineOf(slowest.history)),
        '',
      ].join('\n'),
    );
  }
} catch (error) {
  // One line, no stack trace: the stack went away, or answered in a way the demo did not expect.
  const reason = error instanceof Error ? error.message : String(error);
  const lost = reason === 'fetch failed' ? `lost the stack at ${orderUrl}; is npm start still running?` : reason;
  process.stderr.write(`\nnpm run demo stopped: ${lost}\n`);
  process.exit(1);
}
