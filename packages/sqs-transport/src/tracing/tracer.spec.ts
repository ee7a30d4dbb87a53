import { afterEach, describe, expect, it } from '@jest/globals';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { transportTracer } from './tracer.js';

function recordingProvider(exporter: InMemorySpanExporter): TracerProvider {
  return new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
}

describe('transportTracer', () => {
  afterEach(() => {
    trace.disable();
  });

  it('follows the global provider when it is replaced (an SDK started, stopped, started again)', () => {
    const first = new InMemorySpanExporter();
    trace.setGlobalTracerProvider(recordingProvider(first));
    transportTracer().startSpan('one').end();
    trace.disable();
    expect(transportTracer().startSpan('unrecorded').isRecording()).toBe(false);
    const second = new InMemorySpanExporter();
    trace.setGlobalTracerProvider(recordingProvider(second));
    transportTracer().startSpan('two').end();
    expect(first.getFinishedSpans().map((span) => span.name)).toEqual(['one']);
    expect(second.getFinishedSpans().map((span) => span.name)).toEqual(['two']);
  });
});
