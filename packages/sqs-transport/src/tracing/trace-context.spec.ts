import { describe, expect, it } from '@jest/globals';
import { createTraceState, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import {
  contextFromTraceAttributes,
  formatTraceparent,
  parseTraceparent,
  traceAttributesOf,
  traceIdOf,
} from './trace-context.js';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('W3C trace context in message attributes', () => {
  it('reads a traceparent (and tracestate) into a remote span context and writes it back', () => {
    const spanContext = parseTraceparent(TRACEPARENT, 'vendor=1,other=2');
    expect(spanContext).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    expect(spanContext?.traceState?.serialize()).toBe('vendor=1,other=2');
    expect(formatTraceparent(spanContext!)).toBe(TRACEPARENT);
  });

  it('refuses malformed values: wrong version, shape, case or all-zero ids', () => {
    for (const bad of [
      undefined,
      42,
      '',
      '01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      '00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01',
      '00-00000000000000000000000000000000-b7ad6b7169203331-01',
      '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01',
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0',
    ]) {
      expect(parseTraceparent(bad)).toBeUndefined();
    }
  });

  it('writes the attributes of the active span; none without one', () => {
    const spanContext = { ...parseTraceparent(TRACEPARENT)!, traceState: createTraceState('a=b') };
    expect(traceAttributesOf(trace.setSpanContext(ROOT_CONTEXT, spanContext))).toEqual({
      traceparent: TRACEPARENT,
      tracestate: 'a=b',
    });
    expect(traceAttributesOf(ROOT_CONTEXT)).toEqual({});
  });

  it('makes a parent context from the attributes, or keeps the base one', () => {
    const parent = contextFromTraceAttributes(TRACEPARENT, undefined);
    expect(trace.getSpanContext(parent)?.spanId).toBe('b7ad6b7169203331');
    expect(contextFromTraceAttributes('junk', undefined)).toBe(ROOT_CONTEXT);
  });

  it('reads the trace id for log lines', () => {
    expect(traceIdOf(TRACEPARENT)).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(traceIdOf(undefined)).toBeUndefined();
  });
});
