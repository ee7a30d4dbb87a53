import { describe, expect, it } from '@jest/globals';
import type { Message } from '@aws-sdk/client-sqs';
import { HeldMessage, describeMessage } from './held-message.js';
import { fifoQueueRuntime } from './queue-runtime.fixture.js';

const queue = fifoQueueRuntime();

function held(message: Message = {}, receivedAt = 1_000): HeldMessage {
  return new HeldMessage(queue, { MessageId: 'm-1', ReceiptHandle: 'r-1', ...message }, receivedAt);
}

describe('HeldMessage', () => {
  it('starts waiting, with a lease that runs for the queue visibility from the receive', () => {
    const message = held();
    expect(message.state).toBe('waiting');
    expect(message.visibleUntil).toBe(31_000);
    expect(message.signal.aborted).toBe(false);
  });

  it('moves along its path only through the consumer marks; settling twice says it had already left', () => {
    const message = held();
    message.markRunning();
    expect(message.state).toBe('running');
    message.markOutage();
    expect(message.state).toBe('outage');
    message.markWaiting();
    expect(message.state).toBe('waiting');
    expect(message.markSettled()).toBe(true);
    expect(message.state).toBe('settled');
    expect(message.markSettled()).toBe(false);
  });

  it('exposes no writable state to the stages', () => {
    const message = held();
    expect(() => {
      (message as unknown as { state: string }).state = 'settled';
    }).toThrow(TypeError);
    expect(message.state).toBe('waiting');
  });

  it('reads its facts from the SQS message, with a receive count of 1 when SQS gave none or garbage', () => {
    const message = held({
      Attributes: { MessageGroupId: 'order-1', MessageDeduplicationId: 'e-1', ApproximateReceiveCount: '3' },
      MessageAttributes: { type: { DataType: 'String', StringValue: 'order.placed' } },
    });
    expect(describeMessage(message)).toEqual({
      queueUrl: queue.url,
      messageId: 'm-1',
      eventType: 'order.placed',
      groupId: 'order-1',
      receiveCount: 3,
    });
    expect(message.deduplicationId).toBe('e-1');
    expect(held({ Attributes: { ApproximateReceiveCount: 'x' } }).receiveCount).toBe(1);
    expect(held().receiveCount).toBe(1);
  });

  it('takes the type from the envelope once decoded when the attribute is missing', () => {
    const body = JSON.stringify({
      id: 'e-1',
      type: 'order.placed',
      version: 1,
      occurredAt: '2026-01-01T00:00:00.000Z',
      correlationId: 'c-1',
      payload: {},
    });
    const message = held({ Body: body });
    expect(message.eventType).toBeUndefined();
    expect(message.decodeEnvelope().id).toBe('e-1');
    expect(message.eventType).toBe('order.placed');
  });
});
