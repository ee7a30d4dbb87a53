import { describe, expect, it } from '@jest/globals';
import type { SendMessageBatchCommand, SendMessageBatchResult, SQSClient } from '@aws-sdk/client-sqs';
import { MessageTooLargeError, SendFailedError, TransportClosedError } from '../errors.js';
import { FakeSqsClient, waitFor } from '../testing/index.js';
import type { BatcherSettings, OutgoingMessage } from './batcher.js';
import { SendBatcher } from './batcher.js';
import { messageSize } from './message-size.js';

type BatchInput = SendMessageBatchCommand['input'];

const settings = (overrides: Partial<BatcherSettings> = {}): BatcherSettings => ({
  maxMessageBytes: 262_144,
  flushIntervalMs: 0,
  maxAttempts: 4,
  retryBaseDelayMs: 0,
  ...overrides,
});

/**
 * A stub SQS client: each SendMessageBatch call is answered by `respond` (return a result, or throw),
 * and every accepted body is recorded in acceptance order.
 */
function stubClient(
  respond: (input: BatchInput, call: number) => SendMessageBatchResult | Promise<SendMessageBatchResult>,
) {
  const calls: BatchInput[] = [];
  const accepted: string[] = [];
  const client = {
    async send(command: { input: BatchInput }): Promise<SendMessageBatchResult> {
      calls.push(command.input);
      const result = await respond(command.input, calls.length);
      for (const success of result.Successful ?? []) {
        const entry = command.input.Entries?.find((candidate) => candidate.Id === success.Id);
        accepted.push(entry?.MessageBody ?? '');
      }
      return result;
    },
  };
  return { client: client as unknown as SQSClient, calls, accepted };
}

/** Accepts every entry except those whose body `fail` picks; those fail with the given code and fault. */
function answer(
  input: BatchInput,
  fail: (body: string) => { Code: string; SenderFault: boolean } | undefined = () => undefined,
): SendMessageBatchResult {
  const Successful: NonNullable<SendMessageBatchResult['Successful']> = [];
  const Failed: NonNullable<SendMessageBatchResult['Failed']> = [];
  for (const entry of input.Entries ?? []) {
    const failure = fail(entry.MessageBody ?? '');
    if (failure) Failed.push({ Id: entry.Id ?? '', Message: 'refused', ...failure });
    else Successful.push({ Id: entry.Id ?? '', MessageId: `id-${entry.MessageBody}`, MD5OfMessageBody: '' });
  }
  return { Successful, Failed };
}

const queueUrl = 'http://sqs.local/000000000000/events';
const message = (body: string, extra: Partial<OutgoingMessage> = {}): OutgoingMessage => ({ queueUrl, body, ...extra });

describe('SendBatcher', () => {
  it('sends 25 messages in 3 batches of at most 10, keeping their order', async () => {
    const fake = new FakeSqsClient();
    const url = fake.createQueue('events');
    const batcher = new SendBatcher(fake.asClient(), settings());
    const bodies = Array.from({ length: 25 }, (_, i) => `m${i}`);
    const results = await Promise.all(bodies.map((body) => batcher.send(message(body, { queueUrl: url }))));

    const calls = fake.callsOf('SendMessageBatchCommand').map((call) => call.input as BatchInput);
    expect(calls.map((call) => call.Entries?.length)).toEqual([10, 10, 5]);
    expect(fake.messages(url).map((stored) => stored.body)).toEqual(bodies);
    expect(results.map((result) => result.messageId)).toEqual(fake.messages(url).map((stored) => stored.id));
  });

  it('batches per queue', async () => {
    const fake = new FakeSqsClient();
    const a = fake.createQueue('a');
    const b = fake.createQueue('b');
    const batcher = new SendBatcher(fake.asClient(), settings());
    await Promise.all([
      batcher.send(message('1', { queueUrl: a })),
      batcher.send(message('2', { queueUrl: b })),
      batcher.send(message('3', { queueUrl: a })),
    ]);
    const calls = fake.callsOf('SendMessageBatchCommand').map((call) => call.input as BatchInput);
    expect(calls.map((call) => [call.QueueUrl, call.Entries?.map((entry) => entry.MessageBody)])).toEqual([
      [a, ['1', '3']],
      [b, ['2']],
    ]);
  });

  it('passes group, deduplication id, attributes and delay through to the entry', async () => {
    const stub = stubClient((input) => answer(input));
    const batcher = new SendBatcher(stub.client, settings());
    await batcher.send(
      message('x', {
        groupId: 'order-1',
        deduplicationId: 'event-1',
        delaySeconds: 5,
        attributes: { type: { DataType: 'String', StringValue: 't' } },
      }),
    );
    expect(stub.calls[0]?.Entries?.[0]).toEqual({
      Id: '0',
      MessageBody: 'x',
      MessageGroupId: 'order-1',
      MessageDeduplicationId: 'event-1',
      DelaySeconds: 5,
      MessageAttributes: { type: { DataType: 'String', StringValue: 't' } },
    });
  });

  it('splits batches so that none is larger than maxMessageBytes', async () => {
    const stub = stubClient((input) => answer(input));
    const batcher = new SendBatcher(stub.client, settings({ maxMessageBytes: 1_024 }));
    const bodies = Array.from({ length: 5 }, (_, i) => `${i}`.padEnd(400, '.'));
    await Promise.all(bodies.map((body) => batcher.send(message(body))));
    expect(stub.calls.map((call) => call.Entries?.length)).toEqual([2, 2, 1]);
    for (const call of stub.calls) {
      const bytes = (call.Entries ?? []).reduce(
        (sum, entry) => sum + messageSize(entry.MessageBody ?? '', entry.MessageAttributes),
        0,
      );
      expect(bytes).toBeLessThanOrEqual(1_024);
    }
    expect(stub.accepted).toEqual(bodies);
  });

  it('rejects a message over maxMessageBytes with MessageTooLargeError naming its size, without sending', async () => {
    const stub = stubClient((input) => answer(input));
    const batcher = new SendBatcher(stub.client, settings({ maxMessageBytes: 1_024 }));
    const attributes = { type: { DataType: 'String', StringValue: 'big' } };
    const size = 2_000 + 4 + 6 + 3;
    const sending = batcher.send(message('x'.repeat(2_000), { attributes }));
    await expect(sending).rejects.toBeInstanceOf(MessageTooLargeError);
    await expect(sending).rejects.toMatchObject({
      code: 'MESSAGE_TOO_LARGE',
      retryable: false,
      sizeBytes: size,
      limitBytes: 1_024,
    });
    await expect(sending).rejects.toThrow(
      `Message is ${size} bytes (body and attributes), over the limit of 1024 bytes.`,
    );
    // Exactly at the limit is fine.
    await expect(batcher.send(message('y'.repeat(1_024)))).resolves.toMatchObject({
      messageId: `id-${'y'.repeat(1_024)}`,
    });
    expect(stub.calls).toHaveLength(1);
  });

  it("rejects only the entry SQS refused as the sender's fault, and does not retry it", async () => {
    const stub = stubClient((input) =>
      answer(input, (body) => (body === 'bad' ? { Code: 'InvalidParameterValue', SenderFault: true } : undefined)),
    );
    const batcher = new SendBatcher(stub.client, settings());
    const [good1, bad, good2] = await Promise.allSettled(
      ['ok-1', 'bad', 'ok-2'].map((body) => batcher.send(message(body))),
    );
    expect(good1).toMatchObject({ status: 'fulfilled', value: { messageId: 'id-ok-1' } });
    expect(good2).toMatchObject({ status: 'fulfilled', value: { messageId: 'id-ok-2' } });
    expect(bad?.status).toBe('rejected');
    const error = (bad as PromiseRejectedResult).reason as SendFailedError;
    expect(error).toBeInstanceOf(SendFailedError);
    expect(error).toMatchObject({ code: 'SEND_FAILED', sqsCode: 'InvalidParameterValue', queueUrl });
    expect(error.message).toContain('sender fault');
    expect(stub.calls).toHaveLength(1);
  });

  it("rejects the whole batch at once when the call fails through the sender's fault", async () => {
    const fault = Object.assign(new Error('The specified queue does not exist.'), {
      name: 'QueueDoesNotExist',
      $fault: 'client',
    });
    const stub = stubClient(() => {
      throw fault;
    });
    const batcher = new SendBatcher(stub.client, settings());
    const results = await Promise.allSettled([batcher.send(message('a')), batcher.send(message('b'))]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({
      code: 'SEND_FAILED',
      sqsCode: 'QueueDoesNotExist',
      cause: fault,
    });
    expect(stub.calls).toHaveLength(1);
  });

  it('retries an entry that failed through no fault of the sender, and only that entry', async () => {
    let refusals = 1;
    const stub = stubClient((input) =>
      answer(input, (body) =>
        body === 'flaky' && refusals-- > 0 ? { Code: 'InternalError', SenderFault: false } : undefined,
      ),
    );
    const batcher = new SendBatcher(stub.client, settings());
    const results = await Promise.all(['a', 'flaky', 'b'].map((body) => batcher.send(message(body))));
    expect(results.map((result) => result.messageId)).toEqual(['id-a', 'id-flaky', 'id-b']);
    expect(stub.calls.map((call) => call.Entries?.map((entry) => entry.MessageBody))).toEqual([
      ['a', 'flaky', 'b'],
      ['flaky'],
    ]);
  });

  it.each([
    ['throttling', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client' })],
    ['a server fault', Object.assign(new Error('Internal'), { name: 'InternalFailure', $fault: 'server' })],
    ['a network error', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('retries the whole batch after %s', async (_, error) => {
    const stub = stubClient((input, call) => {
      if (call === 1) throw error;
      return answer(input);
    });
    const batcher = new SendBatcher(stub.client, settings());
    await expect(Promise.all([batcher.send(message('a')), batcher.send(message('b'))])).resolves.toHaveLength(2);
    expect(stub.calls).toHaveLength(2);
  });

  it('gives up after maxAttempts', async () => {
    const stub = stubClient((input) => answer(input, () => ({ Code: 'InternalError', SenderFault: false })));
    const batcher = new SendBatcher(stub.client, settings({ maxAttempts: 3 }));
    const sending = batcher.send(message('a'));
    await expect(sending).rejects.toBeInstanceOf(SendFailedError);
    await expect(sending).rejects.toThrow('gave up after 3 attempts');
    expect(stub.calls).toHaveLength(3);
  });

  it('keeps the order of a queue across a retried batch: retried entries go before later ones', async () => {
    const stub = stubClient((input, call) => {
      if (call === 1) throw Object.assign(new Error('Service Unavailable'), { $fault: 'server' });
      return answer(input);
    });
    const batcher = new SendBatcher(stub.client, settings());
    const bodies = Array.from({ length: 15 }, (_, i) => `m${i}`);
    await Promise.all(bodies.map((body) => batcher.send(message(body, { groupId: 'g' }))));
    expect(stub.accepted).toEqual(bodies);
    // One batch of a queue at a time: the first retry carries the failed ten, then the five queued behind.
    expect(stub.calls.map((call) => call.Entries?.length)).toEqual([10, 10, 5]);
  });

  it('sends one batch of a queue at a time', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const stub = stubClient(async (input) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return answer(input);
    });
    const batcher = new SendBatcher(stub.client, settings());
    await Promise.all(Array.from({ length: 35 }, (_, i) => batcher.send(message(`m${i}`))));
    expect(stub.calls).toHaveLength(4);
    expect(maxInFlight).toBe(1);
  });

  it.each([0, 1, 2, 3, 4, 5])(
    'never strands sends queued while the sender loop is finishing (queued %p microtasks after a result)',
    async (ticks) => {
      const stub = stubClient((input) => answer(input));
      const batcher = new SendBatcher(stub.client, settings());
      await batcher.send(message('first'));
      // Sends queued a few microtasks after a result can land after the loop's last look at the buffer
      // but before it deregisters; a tenth send then finds the loop still registered and relies on it.
      for (let i = 0; i < ticks; i += 1) await Promise.resolve();
      let settled = false;
      void Promise.all(Array.from({ length: 10 }, (_, i) => batcher.send(message(`later-${i}`)))).then(() => {
        settled = true;
      });
      // No flush() and no further send: they must go out on their own.
      await waitFor(() => settled, { timeoutMs: 2_000, description: 'the ten later sends' });
      expect(stub.calls.map((call) => call.Entries?.length)).toEqual([1, 10]);
    },
  );

  it('flush waits for every result; close refuses later sends', async () => {
    const stub = stubClient((input) => answer(input));
    const batcher = new SendBatcher(stub.client, settings({ flushIntervalMs: 1_000 }));
    const results: string[] = [];
    for (const body of ['a', 'b']) void batcher.send(message(body)).then((result) => results.push(result.messageId));
    await batcher.flush();
    expect(results).toEqual(['id-a', 'id-b']);
    await batcher.close();
    await expect(batcher.send(message('c'))).rejects.toBeInstanceOf(TransportClosedError);
    expect(stub.calls).toHaveLength(1);
  });
});
