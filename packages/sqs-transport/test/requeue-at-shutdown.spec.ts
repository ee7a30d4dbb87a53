import { describe, expect, it } from '@jest/globals';
import type { ConsumerEvents } from '../src/index.js';
import { createEnvelope, DependencyUnavailableError, SqsConsumer } from '../src/index.js';
import { FakeSqsClient, HandlerSpy, waitFor } from '../src/testing/index.js';

const body = (seq: number): string => JSON.stringify(createEnvelope({ type: 'step', payload: { seq } }));

describe('requeue at shutdown (fake SQS client)', () => {
  it('reports the unstarted messages it requeued as `requeued`, and still as the deprecated `released`', async () => {
    const fake = new FakeSqsClient();
    const queueUrl = fake.createQueue('orders.fifo');
    fake.enqueue(queueUrl, body(1), { groupId: 'g' });
    fake.enqueue(queueUrl, body(2), { groupId: 'g' });
    const consumer = new SqsConsumer(
      {
        client: fake.asClient(),
        queues: [{ url: queueUrl, pollers: 1, waitTimeSeconds: 1 }],
        outageRetry: { baseDelaySeconds: 60, maxDelaySeconds: 60 },
      },
      async () => {
        throw new DependencyUnavailableError('the database');
      },
    );
    const held = new HandlerSpy<string>();
    const requeued: Array<ConsumerEvents['requeued']> = [];
    const released: Array<ConsumerEvents['released']> = [];
    consumer.events.on('held', (event) => held.record(event.messageId));
    consumer.events.on('requeued', (event) => requeued.push(event));
    consumer.events.on('released', (event) => released.push(event));
    await consumer.start();
    await held.waitForCalls(1);

    const result = await consumer.stop();
    expect(result).toMatchObject({ requeued: 2, released: 2, abandoned: 0 });
    await waitFor(() => requeued.length === 1, { description: 'one requeued event' });
    expect(requeued[0]?.queueUrl).toBe(queueUrl);
    expect(requeued[0]?.messageIds).toHaveLength(2);
    expect(released).toEqual(requeued);
    expect(fake.visibleMessages(queueUrl)).toHaveLength(2);
  });
});
