// Issue 11, test 3 and the services' wiring: both services as child processes, started with the standard
// OTEL_TRACES_EXPORTER=console, print spans whose trace id is the same across the two for one order; their
// /metrics parse as exposition format and count what happened; each handled message has one outcome log line
// carrying the trace id.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { QUEUES } from '@sqsref/contracts';
import { metricValue, parseMetrics, sendRaw } from '@sqsref/service-kit/testing';
import { waitFor } from '@sqsref/sqs-transport/testing';
import type { LogRecord } from './support/service-process.js';
import type { OrderBody, Stack } from './support/stack.js';
import { newOrder, startStack, waitForOrders } from './support/stack.js';

jest.setTimeout(120_000);

const OTEL = { OTEL_TRACES_EXPORTER: 'console' };
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ order: OTEL, shipping: OTEL });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

interface PrintedSpan {
  traceId: string;
  name: string;
}

/**
 * The spans ConsoleSpanExporter printed on a service's stdout (`console.dir` of each span: its top-level keys are
 * indented by two spaces, nested ones by more).
 */
function printedSpans(logs: readonly LogRecord[]): PrintedSpan[] {
  const spans: PrintedSpan[] = [];
  let traceId: string | undefined;
  for (const { msg } of logs) {
    if (typeof msg !== 'string') continue;
    const id = /^ {2}traceId: '([0-9a-f]{32})',$/.exec(msg)?.[1];
    if (id) traceId = id;
    const name = /^ {2}name: '(.+)',$/.exec(msg)?.[1];
    if (name && traceId) {
      spans.push({ traceId, name });
      traceId = undefined;
    }
  }
  return spans;
}

async function metricsOf(url: string): Promise<ReturnType<typeof parseMetrics>> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(await response.text());
}

describe('observability of the running services', () => {
  it('prints spans with OTEL_TRACES_EXPORTER=console whose trace id crosses both services for one order', async () => {
    const placed = await stack.orders.post<OrderBody>('/orders', newOrder('otel-console'));
    expect(placed.status).toBe(201);
    await waitForOrders(stack, [placed.body.id], (order) => order.status === 'SHIPPED', 30_000);

    const http = await waitFor(() => printedSpans(stack.order.logs).find((span) => span.name === 'POST /orders'));
    const inTrace = (logs: readonly LogRecord[]): string[] =>
      printedSpans(logs)
        .filter((span) => span.traceId === http.traceId)
        .map((span) => span.name);
    await waitFor(() => inTrace(stack.order.logs).includes('process shipment-events.fifo'), { timeoutMs: 10_000 });
    expect(inTrace(stack.order.logs)).toEqual(
      expect.arrayContaining(['POST /orders', 'send order-events.fifo', 'process shipment-events.fifo']),
    );
    expect(inTrace(stack.shipping.logs)).toEqual(
      expect.arrayContaining([
        'process order-events.fifo',
        'send shipping-labels.fifo',
        'process shipping-labels.fifo',
        'label job',
        'send shipment-events.fifo',
      ]),
    );

    // One outcome line per handled message, with the same trace id and the event's ids.
    const handled = stack.shipping
      .logged('message processed')
      .filter((record) => record.traceId === http.traceId && record.eventType === 'order.placed');
    expect(handled).toHaveLength(1);
    expect(handled[0]).toMatchObject({ outcome: 'processed', receiveCount: 1, groupId: placed.body.id });
    expect(typeof handled[0]?.eventId).toBe('string');
    expect(typeof handled[0]?.durationMs).toBe('number');
    expect(typeof handled[0]?.correlationId).toBe('string');
  });

  it('serves /metrics on both services with what happened, and /stats from the same counters', async () => {
    const poison = 2;
    for (let i = 0; i < poison; i += 1) {
      await sendRaw(stack.infrastructure.sqs.client, stack.queueUrl(QUEUES.orderEvents), '{not json', {
        type: 'order.placed',
      });
    }
    const queue = QUEUES.orderEvents;
    await waitFor(
      async () =>
        metricValue(await metricsOf(stack.shipping.url), 'sqs_consumer_messages_dead_lettered_total', {
          queue,
          reason: 'INVALID_JSON',
        }) === poison,
      { timeoutMs: 20_000 },
    );

    const shipping = await metricsOf(stack.shipping.url);
    const order = await metricsOf(stack.order.url);
    // One order shipped (the test above): shipping handled its order.placed and its label request; order handled
    // shipping's three answers.
    expect(metricValue(shipping, 'sqs_consumer_messages_processed_total', { queue, type: 'order.placed' })).toBe(1);
    expect(
      metricValue(shipping, 'sqs_consumer_messages_processed_total', {
        queue: QUEUES.shippingLabels,
        type: 'shipment.label_requested',
      }),
    ).toBe(1);
    expect(metricValue(order, 'sqs_consumer_messages_processed_total', { queue: QUEUES.shipmentEvents })).toBe(3);
    expect(metricValue(order, 'sqs_outbox_sent_total', { queue })).toBe(1);
    expect(metricValue(order, 'sqs_outbox_backlog_rows')).toBe(0);
    expect(metricValue(shipping, 'sqs_queue_messages', { queue: 'order-events-dlq.fifo', state: 'visible' })).toBe(
      poison,
    );
    expect(order.get('http_server_request_duration_seconds')?.type).toBe('HISTOGRAM');
    expect(order.has('process_resident_memory_bytes')).toBe(true);
    // /stats: the same counters, summed.
    const stats = await stack.shipments.get<{ processed: number; deadLettered: number }>('/stats');
    expect(stats.body).toMatchObject({ processed: 2, deadLettered: poison });
  });
});
