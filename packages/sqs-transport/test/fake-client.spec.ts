import { describe, expect, it } from '@jest/globals';
import type { ChangeMessageVisibilityBatchCommand } from '@aws-sdk/client-sqs';
import { createEnvelope, SqsConsumer } from '../src/index.js';
import type { HeldMessage } from '../src/index.js';
import { FakeSqsClient, HandlerSpy, waitFor } from '../src/testing/index.js';

function envelope(seq: number): string {
  return JSON.stringify(createEnvelope({ type: 'step', payload: { seq } }));
}

const seqOf = (message: HeldMessage): number =>
  (JSON.parse(message.message.Body ?? '{}') as { payload: { seq: number } }).payload.seq;

describe('several messages of one FIFO group in one receive (fake SQS client)', () => {
  it('a failure in the middle returns it and the rest of its group, together and in order, and the group then completes in order', async () => {
    const fake = new FakeSqsClient();
    const queueUrl = fake.createQueue('orders.fifo', { visibilityTimeoutSeconds: 30 });
    for (let seq = 0; seq < 5; seq += 1) fake.enqueue(queueUrl, envelope(seq), { groupId: 'order-1' });
    fake.enqueue(queueUrl, envelope(100), { groupId: 'order-2' });

    const processed = new HandlerSpy<number>();
    let failedOnce = false;
    const consumer = new SqsConsumer(
      {
        client: fake.asClient(),
        queues: [{ url: queueUrl, pollers: 1, waitTimeSeconds: 1 }],
        retry: { baseDelaySeconds: 0, maxDelaySeconds: 0 },
      },
      async (message) => {
        const seq = seqOf(message);
        if (seq === 2 && !failedOnce) {
          failedOnce = true;
          throw new Error('transient failure');
        }
        processed.record(seq);
      },
    );
    const retried: Array<{ messageId: string; reason: string }> = [];
    consumer.events.on('retried', (event) => retried.push({ messageId: event.messageId, reason: event.reason }));
    await consumer.start();
    try {
      await processed.waitForCalls(6);
      const firstReceive = fake.callsOf('ReceiveMessageCommand')[0]?.input as { MaxNumberOfMessages?: number };
      expect(firstReceive.MaxNumberOfMessages).toBe(10);
      expect(processed.calls.filter((seq) => seq < 100)).toEqual([0, 1, 2, 3, 4]);

      // The failed message and the two behind it went back in one batch, in order.
      const release = fake
        .callsOf('ChangeMessageVisibilityBatchCommand')
        .map((call) => call.input as ChangeMessageVisibilityBatchCommand['input'])
        .find((input) => input.Entries?.every((entry) => entry.VisibilityTimeout === 0));
      expect(release?.Entries).toHaveLength(3);
      expect(retried.map((event) => event.reason)).toEqual(['failed', 'group-failure', 'group-failure']);
      await waitFor(() => fake.messages(queueUrl).length === 0, { description: 'every message deleted' });
    } finally {
      await consumer.stop();
    }
  });

  it("aborts the handler's signal when SQS refuses the extension, and does not ack the message", async () => {
    const fake = new FakeSqsClient();
    const queueUrl = fake.createQueue('jobs', { visibilityTimeoutSeconds: 1 });
    fake.enqueue(queueUrl, envelope(1));
    fake.failExtension = () => 'ReceiptHandleIsInvalid';
    const reasons = new HandlerSpy<unknown>();
    const consumer = new SqsConsumer(
      {
        client: fake.asClient(),
        queues: [{ url: queueUrl, pollers: 1, waitTimeSeconds: 1 }],
        heartbeatIntervalMs: 100,
      },
      async (message) => {
        await new Promise<void>((resolve) => message.signal.addEventListener('abort', () => resolve(), { once: true }));
        reasons.record(message.signal.reason);
        throw message.signal.reason;
      },
    );
    const settled = new HandlerSpy<string>();
    consumer.events.on('retried', (event) => settled.record(event.reason));
    consumer.events.on('dead-lettered', () => settled.record('dead-lettered'));
    await consumer.start();
    try {
      const [reason] = await reasons.waitForCalls(1);
      expect(reason).toMatchObject({ code: 'LEASE_LOST' });
      // The consumer has decided (the message goes back to its queue), and stop() sends every pending delete:
      // a delete, had one been queued, would have been sent by now.
      expect(await settled.waitForCalls(1)).toEqual(['failed']);
    } finally {
      await consumer.stop();
    }
    expect(fake.callsOf('DeleteMessageBatchCommand')).toHaveLength(0);
    expect(fake.messages(queueUrl)).toHaveLength(1);
  });

  it('retries a failed delete until it succeeds', async () => {
    const fake = new FakeSqsClient();
    const queueUrl = fake.createQueue('jobs');
    fake.enqueue(queueUrl, envelope(1));
    let refusals = 0;
    fake.failDelete = () => (refusals++ < 2 ? 'InternalError' : undefined);
    const consumer = new SqsConsumer(
      { client: fake.asClient(), queues: [{ url: queueUrl, pollers: 1, waitTimeSeconds: 1 }] },
      async () => undefined,
    );
    await consumer.start();
    try {
      await waitFor(() => fake.messages(queueUrl).length === 0, { description: 'message deleted' });
      expect(fake.callsOf('DeleteMessageBatchCommand')).toHaveLength(3);
    } finally {
      await consumer.stop();
    }
  });
});
