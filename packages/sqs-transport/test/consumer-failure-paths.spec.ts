import { describe, expect, it } from '@jest/globals';
import type { DeleteMessageBatchCommand } from '@aws-sdk/client-sqs';
import { createEnvelope, NonRetryableError, SqsConsumer } from '../src/index.js';
import type { Clock, ConsumerEvents, HeldMessage, MessageHandler, SqsConsumerOptions } from '../src/index.js';
import { FakeSqsClient, HandlerSpy, waitFor } from '../src/testing/index.js';

function envelope(seq: number): string {
  return JSON.stringify(createEnvelope({ type: 'step', payload: { seq } }));
}

const seqInBody = (body: string | undefined): number =>
  (JSON.parse(body ?? '{}') as { payload: { seq: number } }).payload.seq;
const seqOf = (message: HeldMessage): number => seqInBody(message.message.Body);

/** A clock the test moves by hand; the fake SQS reads visibility from it too. */
function manualClock(start = 1_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}

/** Receipt handles the consumer deleted, over every DeleteMessageBatch so far. */
function deletedHandles(fake: FakeSqsClient): string[] {
  return fake
    .callsOf('DeleteMessageBatchCommand')
    .flatMap((call) => (call.input as DeleteMessageBatchCommand['input']).Entries ?? [])
    .map((entry) => entry.ReceiptHandle ?? '');
}

function consumerOn(
  fake: FakeSqsClient,
  queueUrl: string,
  handler: MessageHandler,
  options: Partial<SqsConsumerOptions> = {},
): SqsConsumer {
  return new SqsConsumer(
    { client: fake.asClient(), queues: [{ url: queueUrl, pollers: 1, waitTimeSeconds: 1 }], ...options },
    handler,
  );
}

/** A handler that fails on a message's first delivery and succeeds after; records each delivery's receive count. */
function failingFirstDelivery(attempts: HandlerSpy<number>): MessageHandler {
  return async (message) => {
    attempts.record(message.receiveCount);
    if (message.receiveCount === 1) throw new Error('transient');
  };
}

/** Each event of one kind, recorded, to wait for. */
function record<K extends keyof ConsumerEvents>(consumer: SqsConsumer, kind: K): HandlerSpy<ConsumerEvents[K]> {
  const spy = new HandlerSpy<ConsumerEvents[K]>();
  consumer.events.on(kind, (event) => spy.record(event));
  return spy;
}

describe('consumer failure paths (fake SQS client)', () => {
  it('at the shutdown deadline aborts the handlers still running, counts them abandoned, and acks only what finished', async () => {
    const fake = new FakeSqsClient();
    const queueUrl = fake.createQueue('jobs', { visibilityTimeoutSeconds: 30 });
    fake.enqueue(queueUrl, envelope(1));
    fake.enqueue(queueUrl, envelope(2));
    const started = new HandlerSpy<number>();
    const abortReasons = new HandlerSpy<unknown>();
    const consumer = consumerOn(
      fake,
      queueUrl,
      async (message) => {
        started.record(seqOf(message));
        if (seqOf(message) === 1) return;
        // A long job that stops only when its signal says so.
        await new Promise<void>((resolve) => message.signal.addEventListener('abort', () => resolve(), { once: true }));
        abortReasons.record(message.signal.reason);
        throw message.signal.reason;
      },
      { shutdownTimeoutMs: 50, retry: { baseDelaySeconds: 60, maxDelaySeconds: 60, jitter: 0 } },
    );
    const processed = record(consumer, 'processed');
    await consumer.start();
    await started.waitForCalls(2);
    await processed.waitForCalls(1);

    const result = await consumer.stop();

    expect(result).toEqual({ requeued: 0, released: 0, abandoned: 1 });
    expect(abortReasons.calls).toEqual([
      expect.objectContaining({ code: 'SHUTDOWN_DEADLINE_EXCEEDED', deadlineMs: 50 }),
    ]);
    // The finished message was deleted; the abandoned one is still on its queue, for another consumer.
    expect(deletedHandles(fake)).toHaveLength(1);
    expect(fake.messages(queueUrl).map((message) => seqInBody(message.body))).toEqual([2]);
  });

  it('keeps a message whose move to the DLQ failed, never acks it meanwhile, and moves it once the DLQ takes it', async () => {
    const fake = new FakeSqsClient();
    const dlqUrl = fake.createQueue('jobs-dlq');
    const queueUrl = fake.createQueue('jobs', {
      deadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:jobs-dlq',
      maxReceiveCount: 100,
    });
    fake.enqueue(queueUrl, envelope(1));
    let refusals = 0;
    // Only the moves to the DLQ are sends here (the test enqueues the original directly).
    fake.failSend = () => (refusals++ < 2 ? 'InternalError' : undefined);
    const consumer = consumerOn(
      fake,
      queueUrl,
      () => Promise.reject(new NonRetryableError('this job can never succeed')),
      { retry: { baseDelaySeconds: 0, maxDelaySeconds: 0 } },
    );
    const deletesAtMoveFailure: number[] = [];
    consumer.events.on('error', (event) => {
      if (event.operation === 'dead-letter') deletesAtMoveFailure.push(deletedHandles(fake).length);
    });
    const retried = record(consumer, 'retried');
    const deadLettered = record(consumer, 'dead-lettered');
    await consumer.start();
    try {
      await deadLettered.waitForCalls(1);
      await waitFor(() => fake.messages(queueUrl).length === 0, { description: 'the original deleted' });
    } finally {
      await consumer.stop();
    }

    expect(deletesAtMoveFailure).toEqual([0, 0]);
    expect(retried.calls.map((event) => event.reason)).toEqual(['failed', 'failed']);
    expect(deadLettered.calls).toEqual([expect.objectContaining({ deadLetterQueueUrl: dlqUrl, receiveCount: 3 })]);
    expect(fake.messages(dlqUrl).map((message) => seqInBody(message.body))).toEqual([1]);
    expect(deletedHandles(fake)).toHaveLength(1);
  });

  it('returns a non-retryable failure on a queue with no DLQ with the retry delay, and never acks it', async () => {
    const clock = manualClock();
    const fake = new FakeSqsClient(clock);
    const queueUrl = fake.createQueue('jobs', { visibilityTimeoutSeconds: 30 });
    fake.enqueue(queueUrl, envelope(1));
    const consumer = consumerOn(fake, queueUrl, () => Promise.reject(new NonRetryableError('never')), {
      clock,
      retry: { baseDelaySeconds: 7, maxDelaySeconds: 60, jitter: 0 },
    });
    const retried = record(consumer, 'retried');
    const deadLettered = record(consumer, 'dead-lettered');
    await consumer.start();
    try {
      await retried.waitForCalls(1);
    } finally {
      await consumer.stop();
    }

    expect(retried.calls).toEqual([expect.objectContaining({ reason: 'failed', delaySeconds: 7 })]);
    expect(deadLettered.count).toBe(0);
    expect(deletedHandles(fake)).toEqual([]);
    expect(fake.messages(queueUrl)).toEqual([expect.objectContaining({ visibleAt: clock.now() + 7_000 })]);
  });

  it('gives a failed message its retry delay: invisible until the delay has passed, then delivered and processed', async () => {
    const clock = manualClock();
    const fake = new FakeSqsClient(clock);
    const queueUrl = fake.createQueue('jobs', { visibilityTimeoutSeconds: 30 });
    fake.enqueue(queueUrl, envelope(1));
    const attempts = new HandlerSpy<number>();
    const consumer = consumerOn(
      fake,
      queueUrl,
      failingFirstDelivery(attempts),
      // Jitter drawn as 0.5 of a half-random 4 s delay: 3 s.
      { clock, random: () => 0.5, retry: { baseDelaySeconds: 4, maxDelaySeconds: 60, jitter: 0.5 } },
    );
    const retried = record(consumer, 'retried');
    const processed = record(consumer, 'processed');
    await consumer.start();
    try {
      await retried.waitForCalls(1);
      expect(retried.calls[0]).toMatchObject({ delaySeconds: 3 });
      expect(fake.messages(queueUrl)).toEqual([expect.objectContaining({ visibleAt: clock.now() + 3_000 })]);

      clock.advance(2_999);
      expect(fake.visibleMessages(queueUrl)).toHaveLength(0);
      clock.advance(1);
      await processed.waitForCalls(1);
    } finally {
      await consumer.stop();
    }
    expect(attempts.calls).toEqual([1, 2]);
    expect(fake.messages(queueUrl)).toHaveLength(0);
  });

  it('when SQS refuses the retry delay the message is neither acked nor extended: it reappears when its visibility runs out', async () => {
    const clock = manualClock();
    const fake = new FakeSqsClient(clock);
    const queueUrl = fake.createQueue('jobs', { visibilityTimeoutSeconds: 30 });
    fake.enqueue(queueUrl, envelope(1));
    const receivedAt = clock.now();
    fake.failExtension = () => 'ReceiptHandleIsInvalid';
    const attempts = new HandlerSpy<number>();
    const consumer = consumerOn(fake, queueUrl, failingFirstDelivery(attempts), {
      clock,
      retry: { baseDelaySeconds: 2, maxDelaySeconds: 60, jitter: 0 },
    });
    const errors = record(consumer, 'error');
    const processed = record(consumer, 'processed');
    await consumer.start();
    try {
      const isRetry = (event: ConsumerEvents['error']): boolean => event.operation === 'retry';
      await errors.waitForCalls(1, 10_000, (calls) => calls.some(isRetry));
      expect(errors.calls.find(isRetry)?.error).toMatchObject({ code: 'LEASE_LOST' });
      expect(fake.messages(queueUrl)).toEqual([expect.objectContaining({ visibleAt: receivedAt + 30_000 })]);
      expect(deletedHandles(fake)).toEqual([]);

      fake.failExtension = undefined;
      clock.advance(30_000);
      await processed.waitForCalls(1);
    } finally {
      await consumer.stop();
    }
    expect(attempts.calls).toEqual([1, 2]);
  });
});
