import { describe, expect, it } from '@jest/globals';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { startSendSpan } from './send-span.js';
import { contextFromTraceAttributes } from './trace-context.js';

// No SDK is registered in this file: tracing is off, as in a service without OTEL_* variables.
describe('startSendSpan with tracing off', () => {
  const type = { DataType: 'String', StringValue: 'thing.happened' };

  it('passes the parent context on unchanged (the stored context of an outbox row reaches the consumer)', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const span = startSendSpan(contextFromTraceAttributes(traceparent, 'v=1'), { queue: 'q' }, { type });
    expect(span.attributes).toEqual({
      type,
      traceparent: { DataType: 'String', StringValue: traceparent },
      tracestate: { DataType: 'String', StringValue: 'v=1' },
    });
    span.succeeded('m-1');
  });

  it('adds nothing when there is no trace to continue', () => {
    const attributes = { type };
    const span = startSendSpan(ROOT_CONTEXT, { queue: 'q' }, attributes);
    expect(span.attributes).toBe(attributes);
    span.failed(new Error('x'));
  });
});
