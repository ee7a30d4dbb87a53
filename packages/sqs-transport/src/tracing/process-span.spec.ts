import { describe, expect, it, jest } from '@jest/globals';
import { HeldMessage } from '../consumer/held-message.js';
import { fifoQueueRuntime } from '../consumer/queue-runtime.fixture.js';
import { traceProcessing } from './process-span.js';

// No SDK is registered in this file: tracing is off, as in a service without OTEL_* variables.
describe('traceProcessing with tracing off', () => {
  const queue = fifoQueueRuntime();

  it("returns the handler's own promise: no promise or await of its own per message", async () => {
    const outcome = Promise.resolve({ duplicate: true });
    const handler = jest.fn((_message: HeldMessage) => outcome);
    const message = new HeldMessage(queue, { MessageId: 'm-1', ReceiptHandle: 'r-1' }, 0);
    const result = traceProcessing(handler)(message);
    expect(result).toBe(outcome);
    expect(handler).toHaveBeenCalledWith(message);
    await expect(result).resolves.toEqual({ duplicate: true });
  });
});
