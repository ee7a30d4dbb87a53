import type { Context, Span } from '@opentelemetry/api';
import { context, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { isRetryable } from '../errors.js';
import type { HandlerOutcome, MessageHandler } from '../consumer/consumer.js';
import type { HeldMessage } from '../consumer/held-message.js';
import { parseTraceparent, TRACE_ATTRIBUTES } from './trace-context.js';
import { MESSAGING_SYSTEM, recordFailure, SPAN_ATTRIBUTES, transportTracer } from './tracer.js';

/**
 * What `messaging.sqsref.outcome` says on a `process` span: `processed` (handler succeeded, message acked),
 * `duplicate` (the inbox had it: acked without running), `retry` (a retryable failure: back to the queue after a
 * backoff, or held in process through a dependency outage), `dead_letter` (a non-retryable failure: to the DLQ).
 */
export type ProcessOutcome = 'processed' | 'duplicate' | 'retry' | 'dead_letter';

/**
 * Wraps a message handler in a CONSUMER span `process <queue>` per delivery. Its parent (and link) is the producer's
 * `send` span, read from the `traceparent`/`tracestate` attributes (a new trace when they are absent or malformed), and
 * the handler runs with it active, so spans the handler starts, and messages it sends or writes to the outbox,
 * continue the same trace. With no SDK registered the spans are no-op ones and the wrapper costs a few allocations
 * per message: it returns the handler's own promise then (no extra promise or await of its own, which with the SDK's
 * context manager on Node 22 would also pay the promise hooks).
 */
export function traceProcessing(handler: MessageHandler): MessageHandler {
  return (message: HeldMessage): Promise<HandlerOutcome | void> => {
    const attributes = message.message.MessageAttributes;
    const producer =
      attributes === undefined
        ? undefined
        : parseTraceparent(
            attributes[TRACE_ATTRIBUTES.traceparent]?.StringValue,
            attributes[TRACE_ATTRIBUTES.tracestate]?.StringValue,
          );
    const parent = producer ? trace.setSpanContext(ROOT_CONTEXT, producer) : ROOT_CONTEXT;
    // Parent and link both: the conventions ask process spans to link to the creation context.
    const options = producer ? { kind: SpanKind.CONSUMER, links: [{ context: producer }] } : CONSUMER_SPAN;
    const span = transportTracer().startSpan(processSpanName(message.queue.name), options, parent);
    if (!span.isRecording()) {
      // Not sampled (or no SDK): still run under the producer's context, so what the handler sends carries it on.
      return trace.isSpanContextValid(span.spanContext())
        ? context.with(trace.setSpan(parent, span), handler, undefined, message)
        : handler(message);
    }
    return processRecorded(span, parent, handler, message);
  };
}

/** Runs the handler under its recording `process` span: the delivery's attributes, the outcome, the error. */
async function processRecorded(
  span: Span,
  parent: Context,
  handler: MessageHandler,
  message: HeldMessage,
): Promise<HandlerOutcome | void> {
  describeDelivery(span, message);
  try {
    const outcome = await context.with(trace.setSpan(parent, span), handler, undefined, message);
    span.setAttribute(SPAN_ATTRIBUTES.outcome, outcome?.duplicate === true ? 'duplicate' : 'processed');
    return outcome;
  } catch (error) {
    span.setAttribute(SPAN_ATTRIBUTES.outcome, isRetryable(error) ? 'retry' : 'dead_letter');
    recordFailure(span, error);
    throw error;
  } finally {
    const eventType = message.eventType;
    if (eventType !== undefined) span.setAttribute(SPAN_ATTRIBUTES.eventType, eventType);
    span.end();
  }
}

const CONSUMER_SPAN = { kind: SpanKind.CONSUMER };
const spanNames = new Map<string, string>();

/** `process <queue>`, built once per queue rather than once per message. */
function processSpanName(queue: string): string {
  let name = spanNames.get(queue);
  if (name === undefined) {
    name = `process ${queue}`;
    spanNames.set(queue, name);
  }
  return name;
}

function describeDelivery(span: Span, message: HeldMessage): void {
  span.setAttribute(SPAN_ATTRIBUTES.system, MESSAGING_SYSTEM);
  span.setAttribute(SPAN_ATTRIBUTES.operationName, 'process');
  span.setAttribute(SPAN_ATTRIBUTES.operationType, 'process');
  span.setAttribute(SPAN_ATTRIBUTES.destination, message.queue.name);
  span.setAttribute(SPAN_ATTRIBUTES.messageId, message.messageId);
  span.setAttribute(SPAN_ATTRIBUTES.receiveCount, message.receiveCount);
  const groupId = message.groupId;
  if (groupId !== undefined) span.setAttribute(SPAN_ATTRIBUTES.groupId, groupId);
}
