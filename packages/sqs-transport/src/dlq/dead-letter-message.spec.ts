import { describe, expect, it } from '@jest/globals';
import { DEAD_LETTER_ATTRIBUTES } from '../consumer/dead-letter.js';
import { readDeadLetter } from './dead-letter-message.js';

describe('readDeadLetter', () => {
  it('reads the reason attributes, the envelope, FIFO ids and the sent time; keeps the other attributes sendable', () => {
    const message = readDeadLetter({
      MessageId: 'm1',
      Body: JSON.stringify({ id: 'e1', type: 'order.placed', payload: {} }),
      Attributes: {
        MessageGroupId: 'g1',
        MessageDeduplicationId: 'e1',
        SentTimestamp: '1700000000000',
        ApproximateReceiveCount: '3',
      },
      MessageAttributes: {
        type: { DataType: 'String', StringValue: 'order.placed', StringListValues: [] },
        blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1]) },
        [DEAD_LETTER_ATTRIBUTES.errorCode]: { DataType: 'String', StringValue: 'UNKNOWN_EVENT_TYPE' },
        [DEAD_LETTER_ATTRIBUTES.errorMessage]: { DataType: 'String', StringValue: 'no handler' },
        [DEAD_LETTER_ATTRIBUTES.sourceQueue]: { DataType: 'String', StringValue: 'http://q/orders.fifo' },
        [DEAD_LETTER_ATTRIBUTES.receiveCount]: { DataType: 'Number', StringValue: '2' },
      },
    });
    expect(message).toEqual({
      messageId: 'm1',
      body: '{"id":"e1","type":"order.placed","payload":{}}',
      envelope: { id: 'e1', type: 'order.placed' },
      reason: {
        errorCode: 'UNKNOWN_EVENT_TYPE',
        errorMessage: 'no handler',
        sourceQueueUrl: 'http://q/orders.fifo',
        receiveCount: 2,
      },
      origin: 'transport',
      groupId: 'g1',
      deduplicationId: 'e1',
      sentAt: new Date(1_700_000_000_000),
      receiveCount: 3,
      attributes: {
        type: { DataType: 'String', StringValue: 'order.placed' },
        blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1]) },
      },
    });
  });

  it('a message moved by the redrive policy has no reason; a body that is not an envelope has no envelope', () => {
    for (const body of ['{not json', '"text"', '{"id":1,"type":"x"}', 'null']) {
      const message = readDeadLetter({ MessageId: 'm', Body: body });
      expect(message).toMatchObject({
        envelope: undefined,
        reason: undefined,
        origin: 'redrive-policy',
        receiveCount: 1,
      });
    }
  });
});
