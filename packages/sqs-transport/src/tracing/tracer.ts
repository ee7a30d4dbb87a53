import type { Span, Tracer, TracerProvider } from '@opentelemetry/api';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { errorCode, errorMessage } from '../errors.js';

/** The instrumentation scope of every span the transport makes. */
export const TRACER_NAME = '@sqsref/sqs-transport';

/**
 * Attribute names, from the OpenTelemetry messaging semantic conventions where they define one. SQS has no
 * standard attribute for its message group or receive count, and the conventions none for the outcome: those three
 * are namespaced under `messaging.aws.sqs.` (group, receive count) and `messaging.sqsref.` (outcome).
 */
export const SPAN_ATTRIBUTES = {
  system: 'messaging.system',
  operationName: 'messaging.operation.name',
  operationType: 'messaging.operation.type',
  destination: 'messaging.destination.name',
  messageId: 'messaging.message.id',
  conversationId: 'messaging.message.conversation_id',
  groupId: 'messaging.aws.sqs.message_group_id',
  receiveCount: 'messaging.aws.sqs.receive_count',
  eventType: 'messaging.sqsref.event_type',
  outcome: 'messaging.sqsref.outcome',
  errorType: 'error.type',
} as const;

/** `messaging.system` for SQS. */
export const MESSAGING_SYSTEM = 'aws_sqs';

let cachedProvider: TracerProvider | undefined;
let cachedTracer: Tracer | undefined;

/**
 * The transport's tracer. Through `@opentelemetry/api` only: without a registered SDK it is the no-op tracer, whose
 * spans record nothing and cost a few allocations. Kept while the global provider stays the same one (the SDK's
 * `getTracer` builds a key string and looks it up on every call, once per message otherwise).
 */
export function transportTracer(): Tracer {
  const provider = trace.getTracerProvider();
  if (provider !== cachedProvider || cachedTracer === undefined) {
    cachedProvider = provider;
    cachedTracer = provider.getTracer(TRACER_NAME);
  }
  return cachedTracer;
}

/** Marks a span failed: the exception event, status ERROR, and `error.type` = the error's stable code. */
export function recordFailure(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  span.setAttribute(SPAN_ATTRIBUTES.errorType, errorCode(error));
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
}
