import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { OutboxMessage } from '../outbox.js';
import type { SendSpan } from '../tracing/send-span.js';
import { startSendSpan } from '../tracing/send-span.js';
import { contextFromTraceAttributes, TRACE_ATTRIBUTES } from '../tracing/trace-context.js';

/**
 * The relay's `send` span for one outbox row. Its parent is the trace context stored with the row (its
 * `traceparent`/`tracestate` attributes, written by `addToOutbox` inside the business transaction), so the send
 * continues the HTTP request's (or the handled message's) trace, not the relay loop's. A row stored without one
 * starts a new trace. `attributes` are the row's message attributes; the span's `attributes` are what to send.
 */
export function startRowSendSpan(row: OutboxMessage, attributes: Record<string, MessageAttributeValue>): SendSpan {
  const parent = contextFromTraceAttributes(
    row.attributes[TRACE_ATTRIBUTES.traceparent],
    row.attributes[TRACE_ATTRIBUTES.tracestate],
  );
  return startSendSpan(parent, { queue: row.queue, groupId: row.groupId, eventType: row.attributes.type }, attributes);
}
