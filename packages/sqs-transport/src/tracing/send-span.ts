import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { Context, Span } from '@opentelemetry/api';
import { SpanKind } from '@opentelemetry/api';
import { formatTraceparent, TRACE_ATTRIBUTES } from './trace-context.js';
import { MESSAGING_SYSTEM, recordFailure, SPAN_ATTRIBUTES, transportTracer } from './tracer.js';

/** What a send span says about the message. */
export interface SendFacts {
  /** Queue name (`messaging.destination.name`). */
  queue: string;
  /** FIFO message group. */
  groupId?: string | null | undefined;
  /** The envelope's type. */
  eventType?: string | undefined;
  /** The envelope's correlation id (`messaging.message.conversation_id`). */
  correlationId?: string | undefined;
}

/** A started `send` span: the attributes to send with (carrying its context), and how to end it. */
export interface SendSpan {
  /** The message attributes, with `traceparent`/`tracestate` set to the send span's context when there is one. */
  readonly attributes: Record<string, MessageAttributeValue>;
  /** SQS accepted the message: records its id and ends the span. */
  succeeded(messageId: string | undefined): void;
  /** The send failed: records the error and ends the span. */
  failed(error: unknown): void;
}

/**
 * Starts a PRODUCER span `send <queue>` under `parent` (OpenTelemetry messaging conventions) and writes its context
 * into the message's `traceparent`/`tracestate` attributes, so the consumer's `process` span continues the trace.
 * With no SDK registered the span is the API's no-op one: the attributes then carry `parent`'s context unchanged
 * (or stay as they were when there is none).
 */
export function startSendSpan(
  parent: Context,
  facts: SendFacts,
  attributes: Record<string, MessageAttributeValue>,
): SendSpan {
  const span = transportTracer().startSpan(`send ${facts.queue}`, { kind: SpanKind.PRODUCER }, parent);
  if (span.isRecording()) describeSend(span, facts);
  const spanContext = span.spanContext();
  const traceparent = formatTraceparent(spanContext);
  let outgoing = attributes;
  if (traceparent !== undefined) {
    outgoing = { ...attributes, [TRACE_ATTRIBUTES.traceparent]: { DataType: 'String', StringValue: traceparent } };
    const tracestate = spanContext.traceState?.serialize();
    if (tracestate) outgoing[TRACE_ATTRIBUTES.tracestate] = { DataType: 'String', StringValue: tracestate };
    else delete outgoing[TRACE_ATTRIBUTES.tracestate];
  }
  return {
    attributes: outgoing,
    succeeded(messageId) {
      if (messageId !== undefined && span.isRecording()) span.setAttribute(SPAN_ATTRIBUTES.messageId, messageId);
      span.end();
    },
    failed(error) {
      recordFailure(span, error);
      span.end();
    },
  };
}

function describeSend(span: Span, facts: SendFacts): void {
  span.setAttribute(SPAN_ATTRIBUTES.system, MESSAGING_SYSTEM);
  span.setAttribute(SPAN_ATTRIBUTES.operationName, 'send');
  span.setAttribute(SPAN_ATTRIBUTES.operationType, 'send');
  span.setAttribute(SPAN_ATTRIBUTES.destination, facts.queue);
  if (facts.groupId) span.setAttribute(SPAN_ATTRIBUTES.groupId, facts.groupId);
  if (facts.eventType) span.setAttribute(SPAN_ATTRIBUTES.eventType, facts.eventType);
  if (facts.correlationId) span.setAttribute(SPAN_ATTRIBUTES.conversationId, facts.correlationId);
}
