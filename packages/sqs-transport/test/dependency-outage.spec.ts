import { afterEach, describe, expect, it } from '@jest/globals';
import type { ChangeMessageVisibilityBatchCommand } from '@aws-sdk/client-sqs';
import type { ConsumerEventName, ConsumerEvents, HeldMessage, SqsConsumerOptions } from '../src/index.js';
import { createEnvelope, DependencyUnavailableError, SqsConsumer } from '../src/index.js';
import { FakeSqsClient, HandlerSpy, waitFor } from '../src/testing/index.js';

const seqOf = (message: HeldMessage): number =>
  (JSON.parse(message.message.Body ?? '{}') as { payload: { seq: number } }).payload.seq;
const body = (seq: number): string => JSON.stringify(createEnvelope({ type: 'step', payload: { seq } }));
const unavailable = (): DependencyUnavailableError => new DependencyUnavailableError('the database');

let consumer: SqsConsumer | undefined;
afterEach(async () => {
  await consumer?.stop();
  consumer = undefined;
});

/** A consumer on one queue of a fake SQS, with fast outage retries and every event recorded. */
function start(
  fake: FakeSqsClient,
  queueUrl: string,
  handler: (message: HeldMessage) => Promise<void>,
  options: Partial<SqsConsumerOptions> = {},
) {
  const seen: Array<{ name: ConsumerEventName; event: unknown; receives: number }> = [];
  consumer = new SqsConsumer(
    {
      client: fake.asClient(),
      queues: [{ url: queueUrl, pollers: 1, waitTimeSeconds: 1 }],
      outageRetry: { baseDelaySeconds: 0.02, maxDelaySeconds: 0.1 },
      retry: { baseDelaySeconds: 0, maxDelaySeconds: 0 },
      ...options,
    },
    handler,
  );
  const names: ConsumerEventName[] = ['held', 'polling-paused', 'polling-resumed', 'retried', 'released', 'extended'];
  for (const name of names) {
    consumer.events.on(name, (event) => seen.push({ name, event, receives: receivesOf(fake) }));
  }
  const events = <K extends ConsumerEventName>(name: K): Array<ConsumerEvents[K]> =>
    seen.filter((entry) => entry.name === name).map((entry) => entry.event as ConsumerEvents[K]);
  const receivesAt = (name: ConsumerEventName): number[] =>
    seen.filter((entry) => entry.name === name).map((entry) => entry.receives);
  return { consumer, events, receivesAt };
}

const receivesOf = (fake: FakeSqsClient): number => fake.callsOf('ReceiveMessageCommand').length;

describe('a dependency outage (fake SQS client)', () => {
  it('keeps the message, pauses polling, and runs it again in process until it succeeds: no receive is counted, nothing goes back to the queue', async () => {
    const fake = new FakeSqsClient();
    fake.createQueue('jobs-dlq');
    const queueUrl = fake.createQueue('jobs', {
      visibilityTimeoutSeconds: 1,
      deadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:jobs-dlq',
      maxReceiveCount: 2,
    });
    fake.enqueue(queueUrl, body(1));
    const outageEnds = Date.now() + 1_500; // longer than the visibility timeout: the heartbeat must keep it
    const processed = new HandlerSpy<number>();
    const { consumer, events, receivesAt } = start(
      fake,
      queueUrl,
      async (message) => {
        if (Date.now() < outageEnds) throw unavailable();
        processed.record(seqOf(message));
      },
      { heartbeatIntervalMs: 200 },
    );
    await consumer.start();

    await processed.waitForCalls(1, 10_000);
    await waitFor(() => fake.messages(queueUrl).length === 0, { description: 'the message deleted' });
    const held = events('held');
    expect(held.length).toBeGreaterThan(2);
    expect(held.map((event) => event.attempt)).toEqual(held.map((_, index) => index + 1));
    expect(held.every((event) => event.receiveCount === 1)).toBe(true);
    expect(events('retried')).toEqual([]);
    expect(events('extended').length).toBeGreaterThan(0);
    // Every attempt happened on the one delivery: SQS never counted a second receive.
    expect(processed.calls).toEqual([1]);

    // No receive was sent from the pause to the resume.
    const [pausedAt] = receivesAt('polling-paused');
    const [resumedAt] = receivesAt('polling-resumed');
    expect(resumedAt).toBe(pausedAt);
    expect(events('polling-paused')).toHaveLength(1);
    expect(events('polling-resumed')).toHaveLength(1);
    expect(consumer.pollingPaused).toBe(false);
    // Polling goes on afterwards.
    fake.enqueue(queueUrl, body(2));
    await processed.waitForCalls(2);
  });

  it('treats the errors isDependencyOutage names as an outage, and returns other failures to the queue as before', async () => {
    const fake = new FakeSqsClient();
    const queueUrl = fake.createQueue('jobs');
    fake.enqueue(queueUrl, body(1));
    fake.enqueue(queueUrl, body(2));
    const processed = new HandlerSpy<number>();
    const attempts = new Map<number, number>();
    const { consumer, events } = start(
      fake,
      queueUrl,
      async (message) => {
        const seq = seqOf(message);
        const attempt = (attempts.get(seq) ?? 0) + 1;
        attempts.set(seq, attempt);
        if (seq === 1 && attempt <= 2) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        if (seq === 2 && attempt === 1) throw new Error('a bug, this time');
        processed.record(seq);
      },
      { isDependencyOutage: (error) => (error as { code?: string }).code === 'ECONNREFUSED' },
    );
    await consumer.start();
    await processed.waitForCalls(2);
    expect(events('held').map((event) => event.attempt)).toEqual([1, 2]);
    expect(events('retried').map((event) => event.reason)).toEqual(['failed']);
  });

  it('FIFO: the held message blocks its group; the rest of the group runs after it, in order', async () => {
    const fake = new FakeSqsClient();
    const queueUrl = fake.createQueue('orders.fifo');
    for (let seq = 1; seq <= 3; seq += 1) fake.enqueue(queueUrl, body(seq), { groupId: 'order-1' });
    const processed = new HandlerSpy<number>();
    let failures = 0;
    const { consumer, events } = start(fake, queueUrl, async (message) => {
      const seq = seqOf(message);
      if (seq === 1 && failures < 3) {
        failures += 1;
        throw unavailable();
      }
      processed.record(seq);
    });
    await consumer.start();
    await processed.waitForCalls(3);
    expect(processed.calls).toEqual([1, 2, 3]);
    expect(events('held')).toHaveLength(3);
    expect(events('retried')).toEqual([]);
  });

  it('releases a held message at shutdown at once (visibility 0), like an unstarted one', async () => {
    const fake = new FakeSqsClient();
    const queueUrl = fake.createQueue('orders.fifo');
    fake.enqueue(queueUrl, body(1), { groupId: 'g' });
    fake.enqueue(queueUrl, body(2), { groupId: 'g' });
    const { consumer, events } = start(
      fake,
      queueUrl,
      async () => {
        throw unavailable();
      },
      { outageRetry: { baseDelaySeconds: 60, maxDelaySeconds: 60 } },
    );
    await consumer.start();
    await waitFor(() => events('held').length === 1, { description: 'the message held' });

    const result = await consumer.stop();
    expect(result.released).toBe(2);
    const release = fake
      .callsOf('ChangeMessageVisibilityBatchCommand')
      .map((call) => call.input as ChangeMessageVisibilityBatchCommand['input'])
      .at(-1);
    expect(release?.Entries?.map((entry) => entry.VisibilityTimeout)).toEqual([0, 0]);
    expect(fake.visibleMessages(queueUrl).map((message) => message.receiveCount)).toEqual([1, 1]);
    expect(events('retried')).toEqual([]);
  });

  it('ends the hold at maxProcessingMs: the message goes back to the queue with the usual backoff, and polling resumes', async () => {
    const fake = new FakeSqsClient();
    const queueUrl = fake.createQueue('jobs', { visibilityTimeoutSeconds: 2 });
    fake.enqueue(queueUrl, body(1));
    const { consumer, events } = start(
      fake,
      queueUrl,
      async () => {
        throw unavailable();
      },
      {
        maxProcessingMs: 1_000,
        heartbeatIntervalMs: 100,
        outageRetry: { baseDelaySeconds: 60, maxDelaySeconds: 60 },
      },
    );
    await consumer.start();
    await waitFor(() => events('retried').length === 1, { timeoutMs: 5_000, description: 'the message returned' });
    expect(events('retried')[0]?.reason).toBe('failed');
    expect(events('polling-resumed')).toHaveLength(1);
  });
});
