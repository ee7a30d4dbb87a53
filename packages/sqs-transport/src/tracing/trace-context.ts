import type { Context, SpanContext } from '@opentelemetry/api';
import { context, createTraceState, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';

/**
 * The message attributes that carry W3C trace context across SQS. `tracestate` is written only when the span has
 * one, so most messages use two attributes (`type` and `traceparent`) of SQS's ten.
 */
export const TRACE_ATTRIBUTES = { traceparent: 'traceparent', tracestate: 'tracestate' } as const;

/** Version 00 of W3C trace context: `00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`. */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const INVALID_TRACE_ID = '0'.repeat(32);
const INVALID_SPAN_ID = '0'.repeat(16);
/** Longest `tracestate` kept (W3C allows 32 members of up to 256 characters; more is treated as absent). */
const MAX_TRACESTATE_LENGTH = 8_192;

/**
 * Reads a `traceparent` value (and `tracestate`, when present) into a remote span context. Returns undefined for
 * anything that is not a valid version-00 header (wrong shape, all-zero ids), so a malformed attribute from a
 * producer never breaks processing: the consumer then starts a new trace.
 */
export function parseTraceparent(traceparent: unknown, tracestate?: unknown): SpanContext | undefined {
  if (typeof traceparent !== 'string' || traceparent.length !== 55) return undefined;
  const match = TRACEPARENT.exec(traceparent);
  if (!match) return undefined;
  const [, traceId, spanId, flags] = match as unknown as [string, string, string, string];
  if (traceId === INVALID_TRACE_ID || spanId === INVALID_SPAN_ID) return undefined;
  const state =
    typeof tracestate === 'string' && tracestate.length > 0 && tracestate.length <= MAX_TRACESTATE_LENGTH
      ? createTraceState(tracestate)
      : undefined;
  return {
    traceId,
    spanId,
    traceFlags: Number.parseInt(flags, 16) & TraceFlags.SAMPLED,
    isRemote: true,
    ...(state ? { traceState: state } : {}),
  };
}

/** The `traceparent` value of a span context; undefined when the context is not valid. */
export function formatTraceparent(spanContext: SpanContext): string | undefined {
  if (!trace.isSpanContextValid(spanContext)) return undefined;
  const flags = (spanContext.traceFlags & TraceFlags.SAMPLED).toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}

/**
 * The trace attributes (`traceparent`, and `tracestate` when not empty) of the span active in `context`; empty when
 * no valid span is active (tracing off and no incoming trace), so nothing is added to the message then.
 */
export function traceAttributesOf(context: Context): Record<string, string> {
  const spanContext = trace.getSpanContext(context);
  if (!spanContext) return {};
  const traceparent = formatTraceparent(spanContext);
  if (traceparent === undefined) return {};
  const tracestate = spanContext.traceState?.serialize();
  return tracestate
    ? { [TRACE_ATTRIBUTES.traceparent]: traceparent, [TRACE_ATTRIBUTES.tracestate]: tracestate }
    : { [TRACE_ATTRIBUTES.traceparent]: traceparent };
}

/**
 * The trace attributes of the active span (see {@link traceAttributesOf}): what an outbox row stores, so the relay's
 * later send continues the trace of the transaction that wrote it.
 */
export function activeTraceAttributes(): Record<string, string> {
  return traceAttributesOf(context.active());
}

/**
 * A context whose parent is the span context carried by `traceparent`/`tracestate`; `base` (default: the root
 * context) when they carry none.
 */
export function contextFromTraceAttributes(
  traceparent: unknown,
  tracestate: unknown,
  base: Context = ROOT_CONTEXT,
): Context {
  const spanContext = parseTraceparent(traceparent, tracestate);
  return spanContext ? trace.setSpanContext(base, spanContext) : base;
}

/** The trace id in a `traceparent` value, without validating the rest (for log lines). */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return traceparent !== undefined && traceparent.length === 55 ? traceparent.slice(3, 35) : undefined;
}
