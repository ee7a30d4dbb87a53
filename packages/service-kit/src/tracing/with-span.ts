import type { Attributes } from '@opentelemetry/api';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { errorCode, errorMessage } from '@sqsref/sqs-transport';

/** The instrumentation scope of spans the services start around their own work. */
export const SERVICE_TRACER_NAME = '@sqsref/service-kit';

/**
 * Runs `work` inside an INTERNAL span named `name` (a child of the active span: the message's `process` span in a
 * handler), ending it when `work` settles; a failure is recorded with its stable code in `error.type`. With tracing
 * off it just runs `work`.
 */
export function withSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  return trace.getTracer(SERVICE_TRACER_NAME).startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      if (span.isRecording()) {
        span.setAttribute('error.type', errorCode(error));
        if (error instanceof Error) span.recordException(error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
      }
      throw error;
    } finally {
      span.end();
    }
  });
}
