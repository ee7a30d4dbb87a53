import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { DeleteMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { createEnvelope, NonRetryableError, SqsConsumer } from '../src/index.js';
import type { HeldMessage } from '../src/index.js';
import { findDeadLetterQueues, queueDepth, redrive } from '../src/dlq/index.js';
import type { SqsEmulator } from '../src/testing/index.js';
import { startSqsEmulator, waitFor } from '../src/testing/index.js';
import { uniqueName } from './support/queues.js';

/**
 * Test 1 of issue 13: poison messages of a FIFO queue land in its DLQ; the handler is fixed; a redrive sends them
 * back. Each is processed once, in its group's order, and redriving again sends nothing twice, even after a first
 * redrive that sent every message but could delete none from the DLQ (a crash between send and delete).
 */
describe('redriving a FIFO DLQ after the handler is fixed (fauxqs)', () => {
  let sqs: SqsEmulator;
  beforeAll(async () => {
    sqs = await startSqsEmulator();
  });
  afterAll(async () => {
    await sqs.stop();
  });

  it('processes each dead letter once, in group order; a second redrive sends nothing twice', async () => {
    const name = uniqueName('orders', true);
    const dlqName = uniqueName('orders-dlq', true);
    const definitions = { queues: [{ name, deadLetter: { name: dlqName, maxReceiveCount: 5 } }] };
    const created = await sqs.createQueues(definitions);
    const queueUrl = created.get(name)?.url ?? '';
    const [dlq] = await findDeadLetterQueues(sqs.client, { definitions });
    if (!dlq) throw new Error('no DLQ found');

    let fixed = false;
    const processed: string[] = [];
    const consumer = new SqsConsumer(
      { client: sqs.client, queues: [{ url: queueUrl, waitTimeSeconds: 1 }] },
      async (message: HeldMessage) => {
        const { payload } = JSON.parse(message.message.Body ?? '{}') as { payload: { step: string; poison: boolean } };
        if (payload.poison && !fixed) throw new NonRetryableError(`cannot handle ${payload.step} yet`);
        processed.push(payload.step);
      },
    );
    await consumer.start();
    try {
      // a1..a3 all poison; b1 fine, then b2 and b3 poison: the DLQ gets a1 a2 a3 b2 b3, each group in order.
      const steps = [
        ['a', 'a1', true],
        ['b', 'b1', false],
        ['a', 'a2', true],
        ['b', 'b2', true],
        ['a', 'a3', true],
        ['b', 'b3', true],
      ] as const;
      for (const [group, step, poison] of steps) {
        const envelope = createEnvelope({ type: 'order.step', payload: { step, poison } });
        await sqs.client.send(
          new SendMessageCommand({
            QueueUrl: queueUrl,
            MessageBody: JSON.stringify(envelope),
            MessageGroupId: group,
            MessageDeduplicationId: envelope.id,
            MessageAttributes: { type: { DataType: 'String', StringValue: envelope.type } },
          }),
        );
      }
      await waitFor(async () => (await queueDepth(sqs.client, dlq.url)).visible === 5, {
        description: 'five poison messages in the DLQ',
      });
      expect(processed).toEqual(['b1']);

      fixed = true;
      // First redrive: sends succeed, deletes from the DLQ fail (as if it crashed after each send). A message left in
      // the DLQ blocks the rest of its group, so only each group's first message (a1, b2) is sent.
      const first = await redrive(withFailingDeletes(sqs.client), { queue: dlq, waitTimeSeconds: 0, holdSeconds: 5 });
      expect(first.method).toBe('loop');
      expect(first.moved).toHaveLength(0);
      expect(first.failed.map((failure) => failure.sent)).toEqual([true, true]);
      await waitFor(() => processed.length === 3, { description: 'a1 and b2 processed' });

      // Second redrive: a1 and b2 again, with the same deduplication ids (SQS drops them), then the rest of the groups.
      const second = await redrive(sqs.client, { queue: dlq, waitTimeSeconds: 0 });
      expect(second.moved).toHaveLength(5);
      expect(second.failed).toEqual([]);
      const third = await redrive(sqs.client, { queue: dlq, waitTimeSeconds: 0 });
      expect(third.moved).toHaveLength(0);

      await waitFor(
        async () => {
          const [source, dead] = await Promise.all([queueDepth(sqs.client, queueUrl), queueDepth(sqs.client, dlq.url)]);
          return source.visible + source.inFlight + dead.visible + dead.inFlight === 0 && consumer.heldCount === 0;
        },
        { description: 'both queues empty and the consumer idle' },
      );
      expect(processed.filter((step) => step.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
      expect(processed.filter((step) => step.startsWith('b'))).toEqual(['b1', 'b2', 'b3']);
    } finally {
      await consumer.stop();
    }
  }, 60_000);
});

/** The client, except that every DeleteMessage fails. */
function withFailingDeletes(client: SQSClient): SQSClient {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver) as unknown;
      return (command: unknown) =>
        command instanceof DeleteMessageCommand
          ? Promise.reject(Object.assign(new Error('injected delete failure'), { name: 'InternalError' }))
          : target.send(command as never);
    },
  });
}
