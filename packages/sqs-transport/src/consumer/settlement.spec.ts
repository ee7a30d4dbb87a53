import { describe, expect, it } from '@jest/globals';
import type { ChangeMessageVisibilityBatchCommand, Message, SQSClient } from '@aws-sdk/client-sqs';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Clock } from '../clock.js';
import { errorCode, NonRetryableError } from '../errors.js';
import type { ConsumerEventName, ConsumerEvents } from '../events.js';
import { ConsumerEventBus } from '../events.js';
import { FakeSqsClient } from '../testing/index.js';
import { HeldMessage } from './held-message.js';
import type { QueueRuntime } from './queue-resolver.js';
import { Outcome, Settlement } from './settlement.js';

type VisibilityInput = ChangeMessageVisibilityBatchCommand['input'];

function setup(options: { failDeadLetterSend?: boolean } = {}) {
  const clock: Clock = { now: () => 1_000 };
  const fake = new FakeSqsClient(clock);
  const events = new ConsumerEventBus();
  const dlqUrl = fake.createQueue('orders-dlq');
  const runtime = (name: string, deadLetterQueueUrl?: string): QueueRuntime => ({
    url: fake.createQueue(name),
    name,
    fifo: false,
    visibilityTimeoutSeconds: 30,
    deadLetterQueueUrl,
    maxReceiveCount: 5,
  });
  const orders = runtime('orders', dlqUrl);
  const other = runtime('other');
  const client: SQSClient = options.failDeadLetterSend
    ? ({
        send: (command: unknown) =>
          command instanceof SendMessageCommand ? Promise.reject(new Error('DLQ unreachable')) : fake.send(command),
      } as unknown as SQSClient)
    : fake.asClient();
  const left: string[] = [];
  const settlement = new Settlement(
    client,
    { flushIntervalMs: 1_000, retryBaseDelayMs: 0, maxAttempts: 3 },
    clock,
    events,
    (message) => left.push(message.messageId),
  );
  const seen: Array<{ name: ConsumerEventName; event: unknown }> = [];
  for (const name of ['retried', 'dead-lettered', 'requeued', 'error', 'deleted'] as const) {
    events.on(name, (event) => seen.push({ name, event }));
  }

  /** Puts `count` messages on the queue and receives them, as the poller would. */
  async function held(queue: QueueRuntime, count: number): Promise<HeldMessage[]> {
    for (let i = 0; i < count; i += 1) fake.enqueue(queue.url, `{"n":${i}}`);
    const messages: Message[] = [];
    while (messages.length < count) {
      const result = (await fake.send(
        new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      )) as { Messages: Message[] };
      messages.push(...result.Messages);
    }
    return messages.map((message) => new HeldMessage(queue, message, clock.now()));
  }
  const visibilityCalls = (): VisibilityInput[] =>
    fake.callsOf('ChangeMessageVisibilityBatchCommand').map((call) => call.input as VisibilityInput);
  const events_ = <K extends ConsumerEventName>(name: K): Array<ConsumerEvents[K]> =>
    seen.filter((entry) => entry.name === name).map((entry) => entry.event as ConsumerEvents[K]);

  return { fake, settlement, orders, other, dlqUrl, left, held, visibilityCalls, events: events_ };
}

const ids = (messages: HeldMessage[]): string[] => messages.map((message) => message.messageId);

describe('Settlement', () => {
  it('ack: queues the delete and lets the message leave before it returns; flush sends the deletes', async () => {
    const subject = setup();
    const messages = await subject.held(subject.orders, 3);

    const done = subject.settlement.apply(messages, Outcome.ack);
    expect(subject.left).toEqual(ids(messages));
    await expect(done).resolves.toBe(true);
    expect(subject.fake.callsOf('DeleteMessageBatchCommand')).toHaveLength(0);

    await subject.settlement.flush();
    expect(subject.fake.messages(subject.orders.url)).toHaveLength(0);
    expect(subject.events('deleted')).toEqual([{ queueUrl: subject.orders.url, count: 3, durationMs: 0 }]);
  });

  it('retry: one visibility change per queue in chunks of 10, in order, with the head failed and the rest group-failure', async () => {
    const subject = setup();
    const group = [...(await subject.held(subject.orders, 12)), ...(await subject.held(subject.other, 1))];

    await expect(subject.settlement.apply(group, Outcome.retry(40))).resolves.toBe(true);

    expect(subject.left).toEqual(ids(group));
    expect(
      subject.visibilityCalls().map((call) => [call.QueueUrl, call.Entries?.map((entry) => entry.VisibilityTimeout)]),
    ).toEqual([
      [subject.orders.url, Array(10).fill(40)],
      [subject.orders.url, [40, 40]],
      [subject.other.url, [40]],
    ]);
    const sentHandles = subject.visibilityCalls().flatMap((call) => call.Entries?.map((e) => e.ReceiptHandle));
    expect(sentHandles).toEqual(group.map((message) => message.receiptHandle));
    const retried = subject.events('retried');
    expect(retried.map((event) => [event.messageId, event.delaySeconds, event.reason])).toEqual(
      group.map((message, index) => [message.messageId, 40, index === 0 ? 'failed' : 'group-failure']),
    );
  });

  it('retry of the rest of a group after a dead-letter reports every message as group-failure', async () => {
    const subject = setup();
    const rest = await subject.held(subject.orders, 2);
    await subject.settlement.apply(rest, Outcome.retry(5, 'group-failure'));
    expect(subject.events('retried').map((event) => event.reason)).toEqual(['group-failure', 'group-failure']);
  });

  it('deadLetter: copies the message to the DLQ, then deletes it, reports it and lets it leave', async () => {
    const subject = setup();
    const [message] = (await subject.held(subject.orders, 1)) as [HeldMessage];

    await expect(
      subject.settlement.apply([message], Outcome.deadLetter(new NonRetryableError('can never ship'))),
    ).resolves.toBe(true);
    await subject.settlement.flush();

    expect(subject.fake.messages(subject.dlqUrl).map((copy) => copy.body)).toEqual([message.message.Body]);
    expect(subject.fake.messages(subject.orders.url)).toHaveLength(0);
    expect(subject.left).toEqual([message.messageId]);
    expect(subject.events('dead-lettered')).toEqual([
      expect.objectContaining({
        messageId: message.messageId,
        deadLetterQueueUrl: subject.dlqUrl,
        errorCode: 'NON_RETRYABLE',
        reason: 'can never ship',
      }),
    ]);
  });

  it('deadLetter: resolves false and keeps the message held when the queue has no DLQ or the move fails', async () => {
    const noDlq = setup();
    const [orphan] = (await noDlq.held(noDlq.other, 1)) as [HeldMessage];
    await expect(noDlq.settlement.apply([orphan], Outcome.deadLetter(new NonRetryableError('x')))).resolves.toBe(false);
    expect(noDlq.left).toEqual([]);
    expect(noDlq.fake.callsOf('SendMessageCommand')).toHaveLength(0);

    const failing = setup({ failDeadLetterSend: true });
    const [message] = (await failing.held(failing.orders, 1)) as [HeldMessage];
    await expect(failing.settlement.apply([message], Outcome.deadLetter(new NonRetryableError('x')))).resolves.toBe(
      false,
    );
    await failing.settlement.flush();
    expect(failing.left).toEqual([]);
    expect(failing.fake.messages(failing.orders.url)).toHaveLength(1);
    expect(failing.events('error').map((event) => event.operation)).toEqual(['dead-letter']);
    expect(failing.events('dead-lettered')).toEqual([]);
  });

  it('requeue: visibility 0, one requeued event per queue with the message ids', async () => {
    const subject = setup();
    const orders = await subject.held(subject.orders, 2);
    const other = await subject.held(subject.other, 1);

    await expect(subject.settlement.apply([...orders, ...other], Outcome.requeue)).resolves.toBe(true);

    expect(subject.visibilityCalls().flatMap((call) => call.Entries?.map((e) => e.VisibilityTimeout))).toEqual([
      0, 0, 0,
    ]);
    expect(subject.fake.visibleMessages(subject.orders.url)).toHaveLength(2);
    expect(subject.events('requeued')).toEqual([
      { queueUrl: subject.orders.url, messageIds: ids(orders), durationMs: 0 },
      { queueUrl: subject.other.url, messageIds: ids(other), durationMs: 0 },
    ]);
  });

  it('a visibility change that fails is reported with its operation and resolves false', async () => {
    const subject = setup();
    const messages = await subject.held(subject.orders, 1);
    const bus = new ConsumerEventBus();
    const errors: string[] = [];
    bus.on('error', (event) => errors.push(event.operation));
    const broken = new Settlement(
      { send: () => Promise.reject(new Error('throttled')) } as unknown as SQSClient,
      { flushIntervalMs: 1_000, retryBaseDelayMs: 0, maxAttempts: 3 },
      { now: () => 0 },
      bus,
      () => undefined,
    );
    await expect(broken.apply(messages, Outcome.retry(10))).resolves.toBe(false);
    await expect(broken.apply(messages, Outcome.requeue)).resolves.toBe(false);
    expect(errors).toEqual(['retry', 'requeue']);
  });

  it('a visibility change SQS refuses (entries in Failed) is reported as LEASE_LOST and resolves false', async () => {
    const subject = setup();
    const messages = await subject.held(subject.orders, 2);
    subject.fake.failExtension = ({ id }) => (id === messages[1]?.messageId ? 'ReceiptHandleIsInvalid' : undefined);

    await expect(subject.settlement.apply(messages, Outcome.retry(10))).resolves.toBe(false);
    await expect(subject.settlement.apply(messages, Outcome.requeue)).resolves.toBe(false);

    const errors = subject.events('error');
    expect(errors.map((event) => [event.operation, errorCode(event.error)])).toEqual([
      ['retry', 'LEASE_LOST'],
      ['requeue', 'LEASE_LOST'],
    ]);
    expect(errors[0]?.error.message).toContain(`${messages[1]?.messageId}: ReceiptHandleIsInvalid`);
    expect(subject.events('requeued')).toEqual([]);
  });
});
