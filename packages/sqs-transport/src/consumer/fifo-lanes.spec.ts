import { describe, expect, it } from '@jest/globals';
import type { Message } from '@aws-sdk/client-sqs';
import { FifoLanes } from './fifo-lanes.js';
import type { QueueRuntime } from './queue-resolver.js';
import { HeldMessage } from './held-message.js';

function queue(name: string): QueueRuntime {
  return {
    url: `http://sqs.local/000000000000/${name}`,
    name,
    fifo: name.endsWith('.fifo'),
    visibilityTimeoutSeconds: 30,
    deadLetterQueueUrl: undefined,
    maxReceiveCount: undefined,
  };
}

const fifo = queue('orders.fifo');
const standard = queue('jobs');

function held(on: QueueRuntime, id: string, groupId?: string): HeldMessage {
  const message: Message = {
    MessageId: id,
    ReceiptHandle: `rh-${id}`,
    Body: '{}',
    Attributes: groupId === undefined ? {} : { MessageGroupId: groupId },
  };
  return new HeldMessage(on, message, 0);
}

/** A lane set whose `start` records ids and marks the message running, as the work pool would once it has a slot. */
function lanes(): { lanes: FifoLanes; started: string[] } {
  const started: string[] = [];
  const result = new FifoLanes((message) => {
    message.markRunning();
    started.push(message.messageId);
  });
  return { lanes: result, started };
}

const ids = (messages: HeldMessage[]): string[] => messages.map((message) => message.messageId);

describe('FifoLanes', () => {
  it('starts standard-queue messages at once, without a lane', () => {
    const { lanes: subject, started } = lanes();
    const a = held(standard, 'a');
    const b = held(standard, 'b');
    subject.submit(a);
    subject.submit(b);
    expect(started).toEqual(['a', 'b']);
    expect(subject.activeLanes).toBe(0);
    // advance/close are no-ops for messages without a lane.
    subject.advance(a);
    expect(subject.close(b)).toEqual([]);
    expect(started).toEqual(['a', 'b']);
  });

  it('runs one message at a time per group, in receive order', () => {
    const { lanes: subject, started } = lanes();
    const [a1, a2, a3] = ['a1', 'a2', 'a3'].map((id) => held(fifo, id, 'A')) as [HeldMessage, HeldMessage, HeldMessage];
    subject.submit(a1);
    subject.submit(a2);
    subject.submit(a3);
    expect(started).toEqual(['a1']);
    expect(subject.activeLanes).toBe(1);
  });

  it('runs different groups in parallel', () => {
    const { lanes: subject, started } = lanes();
    subject.submit(held(fifo, 'a1', 'A'));
    subject.submit(held(fifo, 'b1', 'B'));
    subject.submit(held(fifo, 'a2', 'A'));
    subject.submit(held(fifo, 'c1', 'C'));
    expect(started).toEqual(['a1', 'b1', 'c1']);
    expect(subject.activeLanes).toBe(3);
  });

  it('keeps equal group ids of different queues in separate lanes', () => {
    const { lanes: subject, started } = lanes();
    const other = queue('payments.fifo');
    subject.submit(held(fifo, 'x1', 'G'));
    subject.submit(held(other, 'y1', 'G'));
    expect(started).toEqual(['x1', 'y1']);
  });

  it('starts the next message of the group when the head advances, and drops the empty lane', () => {
    const { lanes: subject, started } = lanes();
    const a1 = held(fifo, 'a1', 'A');
    const a2 = held(fifo, 'a2', 'A');
    subject.submit(a1);
    subject.submit(a2);
    subject.advance(a1);
    expect(started).toEqual(['a1', 'a2']);
    expect(subject.activeLanes).toBe(1);
    subject.advance(a2);
    expect(subject.activeLanes).toBe(0);
    // A new message of the group starts at once again.
    subject.submit(held(fifo, 'a3', 'A'));
    expect(started).toEqual(['a1', 'a2', 'a3']);
  });

  it('ignores advance and close for a message that is not the head of its lane', () => {
    const { lanes: subject, started } = lanes();
    const a1 = held(fifo, 'a1', 'A');
    const a2 = held(fifo, 'a2', 'A');
    subject.submit(a1);
    subject.submit(a2);
    subject.advance(a2);
    expect(subject.close(a2)).toEqual([]);
    expect(started).toEqual(['a1']);
    expect(subject.activeLanes).toBe(1);
  });

  it('close returns the messages waiting behind a failed head, in order, and frees the group', () => {
    const { lanes: subject, started } = lanes();
    const group = ['a1', 'a2', 'a3', 'a4'].map((id) => held(fifo, id, 'A'));
    group.forEach((message) => subject.submit(message));
    const b1 = held(fifo, 'b1', 'B');
    subject.submit(b1);

    expect(ids(subject.close(group[0] as HeldMessage))).toEqual(['a2', 'a3', 'a4']);
    expect(subject.activeLanes).toBe(1);
    // Nothing of the closed group was started; the other group is untouched.
    expect(started).toEqual(['a1', 'b1']);
    subject.submit(held(fifo, 'a5', 'A'));
    expect(started).toEqual(['a1', 'b1', 'a5']);
  });

  it('close of a lone head returns nothing', () => {
    const { lanes: subject } = lanes();
    const a1 = held(fifo, 'a1', 'A');
    subject.submit(a1);
    expect(subject.close(a1)).toEqual([]);
    expect(subject.activeLanes).toBe(0);
  });

  it('drainWaiting takes heads that have not started with their lanes, and the rest behind running heads, in group order', () => {
    // A start function that leaves group B's head waiting, as when every handler slot is taken.
    const subject = new FifoLanes((message) => {
      if (message.groupId !== 'B') message.markRunning();
    });
    const messages = [
      held(fifo, 'a1', 'A'),
      held(fifo, 'b1', 'B'),
      held(fifo, 'a2', 'A'),
      held(fifo, 'b2', 'B'),
      held(fifo, 'a3', 'A'),
      held(fifo, 'c1', 'C'),
    ];
    messages.forEach((message) => subject.submit(message));

    expect(ids(subject.drainWaiting())).toEqual(['a2', 'a3', 'b1', 'b2']);
    // Running heads keep their lanes (A, C); B's lane is gone.
    expect(subject.activeLanes).toBe(2);
    expect(subject.drainWaiting()).toEqual([]);
    // The running head of A finishes: nothing is left behind it to start.
    const a1 = messages[0] as HeldMessage;
    subject.advance(a1);
    expect(subject.activeLanes).toBe(1);
  });

  it('drainWaiting takes a head held through a dependency outage with its lane, in order', () => {
    const subject = new FifoLanes((message) => {
      message.markRunning();
    });
    const messages = [held(fifo, 'a1', 'A'), held(fifo, 'a2', 'A'), held(fifo, 'b1', 'B')];
    messages.forEach((message) => subject.submit(message));
    (messages[0] as HeldMessage).markOutage();

    expect(ids(subject.drainWaiting())).toEqual(['a1', 'a2']);
    expect(subject.activeLanes).toBe(1);
  });
});
