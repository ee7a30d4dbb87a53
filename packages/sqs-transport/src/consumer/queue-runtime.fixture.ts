// Spec fixture (not built into dist): a resolved FIFO queue for the stage specs that build HeldMessages by hand.
import type { QueueRuntime } from './queue-resolver.js';

/** `orders.fifo`, 30 s of visibility, no DLQ unless `overrides` say otherwise. */
export function fifoQueueRuntime(overrides: Partial<QueueRuntime> = {}): QueueRuntime {
  return {
    url: 'http://sqs.local/000000000000/orders.fifo',
    name: 'orders.fifo',
    fifo: true,
    visibilityTimeoutSeconds: 30,
    deadLetterQueueUrl: undefined,
    maxReceiveCount: undefined,
    ...overrides,
  };
}
