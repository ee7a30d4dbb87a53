import { describe, expect, it } from '@jest/globals';
import { DEAD_LETTER_ATTRIBUTES } from '@sqsref/sqs-transport';
import { queueNameOf, toDeadLetterView } from './dead-letters.js';

const text = (value: string) => ({ DataType: 'String', StringValue: value });

describe('toDeadLetterView', () => {
  it('reads the reason attributes, the envelope and the FIFO ids, never the receipt handle', () => {
    const view = toDeadLetterView({
      MessageId: 'm-1',
      ReceiptHandle: 'secret-handle',
      Body: JSON.stringify({ id: 'event-1', type: 'order.placed', payload: {} }),
      Attributes: { SentTimestamp: '1767225600000', MessageGroupId: 'g-1', MessageDeduplicationId: 'd-1' },
      MessageAttributes: {
        [DEAD_LETTER_ATTRIBUTES.errorCode]: text('PAYLOAD_INVALID'),
        [DEAD_LETTER_ATTRIBUTES.errorMessage]: text('items: required'),
        [DEAD_LETTER_ATTRIBUTES.sourceQueue]: text(
          'http://sqs.us-east-1.localhost:4566/000000000000/order-events.fifo',
        ),
        [DEAD_LETTER_ATTRIBUTES.receiveCount]: { DataType: 'Number', StringValue: '3' },
      },
    });
    expect(view).toEqual({
      messageId: 'm-1',
      type: 'order.placed',
      eventId: 'event-1',
      errorCode: 'PAYLOAD_INVALID',
      errorMessage: 'items: required',
      sourceQueue: 'order-events.fifo',
      receiveCount: 3,
      groupId: 'g-1',
      deduplicationId: 'd-1',
      sentAt: '2026-01-01T00:00:00.000Z',
      body: JSON.stringify({ id: 'event-1', type: 'order.placed', payload: {} }),
    });
    expect(JSON.stringify(view)).not.toContain('secret-handle');
  });

  it('shows a message without reason attributes or a JSON body as it is', () => {
    expect(toDeadLetterView({ MessageId: 'm-2', Body: 'not json' })).toMatchObject({
      type: null,
      eventId: null,
      errorCode: null,
      sourceQueue: null,
      receiveCount: null,
      sentAt: null,
      body: 'not json',
    });
  });
});

describe('queueNameOf', () => {
  it("is a queue URL's last path segment", () => {
    expect(queueNameOf('http://sqs:4566/000000000000/a-dlq.fifo')).toBe('a-dlq.fifo');
    expect(queueNameOf('http://sqs:4566/000000000000/a/')).toBe('a');
  });
});
