// Issue 11, test 1: one POST /orders yields one trace that crosses the queue both ways. Both services run in this
// process (so one in-memory exporter sees every span), on fauxqs and PostgreSQL; the spans come from the transport
// (send, process), service-kit (the HTTP span) and shipping (the label job).
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type { TestInfrastructure } from '@sqsref/dev-stack';
import { startTestInfrastructure } from '@sqsref/dev-stack';
import type { RunningService, ServicePrismaClient, Tracing } from '@sqsref/service-kit';
import { loadConfig, startTracing } from '@sqsref/service-kit';
import { IN_PROCESS_TEST_ENV, jsonClient } from '@sqsref/service-kit/testing';
import { waitFor } from '@sqsref/sqs-transport/testing';
import { startOrderService } from '../apps/order-service/src/app.js';
import { orderServiceEnv } from '../apps/order-service/src/config.js';
import { startShippingService } from '../apps/shipping-service/src/app.js';
import { shippingServiceEnv } from '../apps/shipping-service/src/config.js';
import type { OrderBody } from './support/stack.js';
import { newOrder } from './support/stack.js';

jest.setTimeout(90_000);

const exporter = new InMemorySpanExporter();
let tracing: Tracing | undefined;
let infrastructure: TestInfrastructure;
const services: Array<RunningService<ServicePrismaClient>> = [];
let orderUrl = '';

beforeAll(async () => {
  // service-kit's own SDK start, with the exporter swapped for memory: what OTEL_TRACES_EXPORTER would set up.
  tracing = startTracing('trace-test', {}, { spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  infrastructure = await startTestInfrastructure(['trace_orders', 'trace_shipping']);
  const base = { ...IN_PROCESS_TEST_ENV, AWS_ENDPOINT_URL_SQS: infrastructure.sqs.endpoint };
  const url = (name: string): string => infrastructure.databases[name]?.url ?? '';
  const order = await startOrderService(
    loadConfig('order-service', orderServiceEnv, { ...base, DATABASE_URL: url('trace_orders') }),
    { handleSignals: false },
  );
  services.push(order);
  services.push(
    await startShippingService(
      loadConfig('shipping-service', shippingServiceEnv, {
        ...base,
        DATABASE_URL: url('trace_shipping'),
        LABEL_JOB_MS: '50',
        LABEL_FAILURE_RATE: '0',
      }),
      { handleSignals: false },
    ),
  );
  orderUrl = order.url;
}, 60_000);

afterAll(async () => {
  await Promise.all(services.map((service) => service.close()));
  await infrastructure?.stop();
  await tracing?.shutdown();
});

describe('one POST /orders', () => {
  it('yields one trace: HTTP -> relay send -> shipping process -> label job -> reply send -> order process', async () => {
    const api = jsonClient(orderUrl);
    const placed = await api.post<OrderBody>('/orders', newOrder('trace-customer'));
    expect(placed.status).toBe(201);
    await waitFor(async () => (await api.get<OrderBody>(`/orders/${placed.body.id}`)).body.status === 'SHIPPED', {
      timeoutMs: 30_000,
    });

    const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
    const http = spans().find((span) => span.name === 'POST /orders');
    expect(http?.kind).toBe(SpanKind.SERVER);
    const traceId = http?.spanContext().traceId ?? '';
    const inTrace = (): ReadableSpan[] => spans().filter((span) => span.spanContext().traceId === traceId);
    // The order service's process span of shipment.dispatched is the last to end.
    await waitFor(
      () =>
        inTrace().some(
          (span) =>
            span.name === 'process shipment-events.fifo' &&
            span.attributes['messaging.sqsref.event_type'] === 'shipment.dispatched',
        ),
      { timeoutMs: 10_000 },
    );
    const trace = inTrace();
    const byId = new Map(trace.map((span) => [span.spanContext().spanId, span]));
    const parentOf = (span: ReadableSpan | undefined): ReadableSpan | undefined =>
      span?.parentSpanContext ? byId.get(span.parentSpanContext.spanId) : undefined;
    const one = (name: string, eventType?: string): ReadableSpan => {
      const found = trace.filter(
        (span) =>
          span.name === name &&
          (eventType === undefined || span.attributes['messaging.sqsref.event_type'] === eventType),
      );
      expect(
        found.map((span) => `${span.name} ${String(span.attributes['messaging.sqsref.event_type'])}`),
      ).toHaveLength(1);
      return found[0] as ReadableSpan;
    };

    // order: HTTP -> relay send of order.placed (parent: the request's span, stored with the outbox row)
    const placedSend = one('send order-events.fifo', 'order.placed');
    expect(placedSend.kind).toBe(SpanKind.PRODUCER);
    expect(parentOf(placedSend)).toBe(http);
    // shipping: process order.placed (parent: that send), which writes shipment.created and the label request
    const placedProcess = one('process order-events.fifo', 'order.placed');
    expect(placedProcess.kind).toBe(SpanKind.CONSUMER);
    expect(parentOf(placedProcess)).toBe(placedSend);
    const labelSend = one('send shipping-labels.fifo', 'shipment.label_requested');
    expect(parentOf(labelSend)).toBe(placedProcess);
    const labelProcess = one('process shipping-labels.fifo', 'shipment.label_requested');
    expect(parentOf(labelProcess)).toBe(labelSend);
    const labelJob = one('label job');
    expect(parentOf(labelJob)).toBe(labelProcess);
    // shipping's replies: shipment.created from the order.placed handler, the label's from the label job
    expect(parentOf(one('send shipment-events.fifo', 'shipment.created'))).toBe(placedProcess);
    const dispatchedSend = one('send shipment-events.fifo', 'shipment.dispatched');
    expect(parentOf(dispatchedSend)).toBe(labelJob);
    // order: process of each reply, under its send
    const dispatchedProcess = one('process shipment-events.fifo', 'shipment.dispatched');
    expect(parentOf(dispatchedProcess)).toBe(dispatchedSend);
    expect(dispatchedProcess.attributes['messaging.sqsref.outcome']).toBe('processed');
    expect(parentOf(one('process shipment-events.fifo', 'shipment.label_created'))).toBe(
      one('send shipment-events.fifo', 'shipment.label_created'),
    );
  });
});
