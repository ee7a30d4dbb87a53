import { describe, expect, it } from '@jest/globals';
import { outcomeLine } from './transport-logging.js';

describe('the outcome log line', () => {
  it('carries the event id, type, group, receive count, duration, outcome, trace and correlation ids', () => {
    expect(
      outcomeLine(
        {
          queueUrl: 'http://sqs/000/order-events.fifo',
          messageId: 'm-1',
          eventType: 'order.placed',
          groupId: 'order-1',
          receiveCount: 2,
          eventId: 'e-1',
          correlationId: 'c-1',
          traceId: '0af7651916cd43dd8448eb211c80319c',
          sentAt: 1,
          durationMs: 12,
        },
        'retry',
      ),
    ).toEqual({
      outcome: 'retry',
      eventId: 'e-1',
      eventType: 'order.placed',
      groupId: 'order-1',
      receiveCount: 2,
      durationMs: 12,
      traceId: '0af7651916cd43dd8448eb211c80319c',
      correlationId: 'c-1',
      queue: 'order-events.fifo',
      messageId: 'm-1',
    });
  });
});
