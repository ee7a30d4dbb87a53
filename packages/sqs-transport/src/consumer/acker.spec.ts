import { describe, expect, it } from '@jest/globals';
import type { DeleteMessageBatchCommand, Message } from '@aws-sdk/client-sqs';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { Clock } from '../clock.js';
import { DeleteFailedError } from '../errors.js';
import type { ConsumerEvents } from '../events.js';
import { ConsumerEventBus } from '../events.js';
import { FakeSqsClient, waitFor } from '../testing/index.js';
import type { AckerSettings } from './acker.js';
import { Acker } from './acker.js';

type DeleteInput = DeleteMessageBatchCommand['input'];

function setup(settings: Partial<AckerSettings> = {}) {
  const clock: Clock = { now: () => 0 };
  const fake = new FakeSqsClient(clock);
  const events = new ConsumerEventBus();
  // flushIntervalMs is long by default so that only a full batch or flush() sends; retries wait 0 ms.
  const acker = new Acker(
    fake.asClient(),
    { flushIntervalMs: 1_000, retryBaseDelayMs: 0, maxAttempts: 5, ...settings },
    clock,
    events,
  );
  const errors: Array<ConsumerEvents['error']> = [];
  const deleted: Array<ConsumerEvents['deleted']> = [];
  events.on('error', (event) => errors.push(event));
  events.on('deleted', (event) => deleted.push(event));

  /** Puts `count` messages on the queue and receives them, as the consumer would before acking. */
  async function received(queueUrl: string, count: number): Promise<Message[]> {
    for (let i = 0; i < count; i += 1) fake.enqueue(queueUrl, `m${i}`);
    const messages: Message[] = [];
    while (messages.length < count) {
      const result = (await fake.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      )) as { Messages: Message[] };
      messages.push(...result.Messages);
    }
    return messages;
  }

  const ack = (queueUrl: string, messages: Message[]): void =>
    messages.forEach((message) => acker.ack(queueUrl, message.ReceiptHandle ?? '', message.MessageId ?? ''));
  const deleteCalls = (): DeleteInput[] =>
    fake.callsOf('DeleteMessageBatchCommand').map((call) => call.input as DeleteInput);

  return { fake, events, acker, errors, deleted, received, ack, deleteCalls };
}

describe('Acker', () => {
  it('sends a batch as soon as it holds 10 deletes, per queue, and the rest on flush', async () => {
    const subject = setup();
    const a = subject.fake.createQueue('a');
    const b = subject.fake.createQueue('b');
    const fromA = await subject.received(a, 25);
    const fromB = await subject.received(b, 3);

    subject.ack(a, fromA);
    subject.ack(b, fromB);
    // Two full batches of queue a left at once; the remainders wait for the interval or a flush.
    expect(subject.deleteCalls().map((call) => [call.QueueUrl, call.Entries?.length])).toEqual([
      [a, 10],
      [a, 10],
    ]);

    await subject.acker.flush();
    const sizes = (url: string): number[] =>
      subject
        .deleteCalls()
        .filter((call) => call.QueueUrl === url)
        .map((call) => call.Entries?.length ?? 0);
    expect(sizes(a)).toEqual([10, 10, 5]);
    expect(sizes(b)).toEqual([3]);
    expect(subject.fake.messages(a)).toHaveLength(0);
    expect(subject.fake.messages(b)).toHaveLength(0);
    expect(subject.deleted.reduce((sum, event) => sum + event.count, 0)).toBe(28);
    expect(subject.errors).toEqual([]);
  });

  it('sends a partial batch flushIntervalMs after its first delete', async () => {
    const subject = setup({ flushIntervalMs: 5 });
    const queue = subject.fake.createQueue('q');
    subject.ack(queue, await subject.received(queue, 2));
    expect(subject.deleteCalls()).toHaveLength(0);
    await waitFor(() => subject.fake.messages(queue).length === 0, {
      timeoutMs: 5_000,
      description: 'the timed batch',
    });
    expect(subject.deleteCalls().map((call) => call.Entries?.length)).toEqual([2]);
  });

  it('with flushIntervalMs 0, sends the deletes of one turn of the event loop as one batch', async () => {
    const subject = setup({ flushIntervalMs: 0 });
    const queue = subject.fake.createQueue('q');
    const messages = await subject.received(queue, 4);
    subject.ack(queue, messages.slice(0, 3));
    await Promise.resolve();
    subject.ack(queue, messages.slice(3));
    expect(subject.deleteCalls()).toHaveLength(0);
    await waitFor(() => subject.fake.messages(queue).length === 0, { timeoutMs: 5_000, description: 'the batch' });
    expect(subject.deleteCalls().map((call) => call.Entries?.length)).toEqual([4]);
  });

  it('flush resolves at once when nothing is pending', async () => {
    const subject = setup();
    await subject.acker.flush();
    expect(subject.deleteCalls()).toHaveLength(0);
  });

  it('retries entries that failed for a transient reason, and only those', async () => {
    const subject = setup();
    const queue = subject.fake.createQueue('q');
    const messages = await subject.received(queue, 3);
    const flaky = messages[1]?.MessageId;
    let refusals = 1;
    subject.fake.failDelete = ({ id }) => (id === flaky && refusals-- > 0 ? 'InternalError' : undefined);

    subject.ack(queue, messages);
    await subject.acker.flush();

    const calls = subject.deleteCalls();
    expect(calls.map((call) => call.Entries?.length)).toEqual([3, 1]);
    expect(calls[1]?.Entries?.[0]?.ReceiptHandle).toBe(messages[1]?.ReceiptHandle);
    expect(subject.fake.messages(queue)).toHaveLength(0);
    expect(subject.errors).toEqual([]);
  });

  it("retries a whole batch when the call itself fails, reporting an 'error'", async () => {
    const subject = setup();
    const queue = subject.fake.createQueue('q');
    const messages = await subject.received(queue, 2);
    const send = subject.fake.send.bind(subject.fake);
    let failures = 1;
    subject.fake.send = async (command, options) => {
      if (failures > 0 && (command as object).constructor.name === 'DeleteMessageBatchCommand') {
        failures -= 1;
        throw Object.assign(new Error('service unavailable'), { name: 'ServiceUnavailable' });
      }
      return send(command, options);
    };

    subject.ack(queue, messages);
    await subject.acker.flush();

    expect(subject.errors).toEqual([
      expect.objectContaining({
        operation: 'delete',
        queueUrl: queue,
        error: expect.objectContaining({ name: 'ServiceUnavailable' }),
      }),
    ]);
    expect(subject.fake.messages(queue)).toHaveLength(0);
  });

  it.each(['ReceiptHandleIsInvalid', 'InvalidParameterValue', 'MessageNotInflight'])(
    'does not retry %s: it reports DELETE_FAILED at once',
    async (code) => {
      const subject = setup();
      const queue = subject.fake.createQueue('q');
      const messages = await subject.received(queue, 2);
      const refused = messages[0]?.MessageId;
      subject.fake.failDelete = ({ id }) => (id === refused ? code : undefined);

      subject.ack(queue, messages);
      await subject.acker.flush();

      expect(subject.deleteCalls()).toHaveLength(1);
      expect(subject.errors).toHaveLength(1);
      const error = subject.errors[0]?.error as DeleteFailedError;
      expect(error).toBeInstanceOf(DeleteFailedError);
      expect(error).toMatchObject({ code: 'DELETE_FAILED', sqsCode: code, queueUrl: queue });
      expect(subject.fake.messages(queue).map((message) => message.id)).toEqual([refused]);
    },
  );

  it("gives up after maxAttempts with an 'error' event, leaving the message to be redelivered", async () => {
    const subject = setup({ maxAttempts: 3 });
    const queue = subject.fake.createQueue('q');
    const messages = await subject.received(queue, 1);
    subject.fake.failDelete = () => 'InternalError';

    subject.ack(queue, messages);
    await subject.acker.flush();

    expect(subject.deleteCalls()).toHaveLength(3);
    expect(subject.errors).toHaveLength(1);
    expect(subject.errors[0]?.error).toBeInstanceOf(DeleteFailedError);
    expect(subject.errors[0]?.error.message).toContain('gave up after 3 attempts');
    expect(subject.fake.messages(queue)).toHaveLength(1);
    expect(subject.deleted).toEqual([]);
  });
});
