import { describe, expect, it } from '@jest/globals';
import type { Message, MessageAttributeValue, SendMessageCommand } from '@aws-sdk/client-sqs';
import { NonRetryableError, UnknownEventTypeError } from '../errors.js';
import { messageSize } from '../producer/message-size.js';
import { SQS_MAX_MESSAGE_BYTES } from '../sqs-limits.js';
import { FakeSqsClient } from '../testing/index.js';
import { DEAD_LETTER_ATTRIBUTES, moveToDeadLetterQueue } from './dead-letter.js';
import type { QueueRuntime } from './queue-resolver.js';
import { HeldMessage } from './held-message.js';

type SendInput = SendMessageCommand['input'];

function setup(fifo: boolean) {
  const fake = new FakeSqsClient();
  const suffix = fifo ? '.fifo' : '';
  const sourceUrl = fake.createQueue(`orders${suffix}`);
  const dlqUrl = fake.createQueue(`orders-dlq${suffix}`);
  const queue: QueueRuntime = {
    url: sourceUrl,
    name: `orders${suffix}`,
    fifo,
    visibilityTimeoutSeconds: 30,
    deadLetterQueueUrl: dlqUrl,
    maxReceiveCount: 5,
  };
  const held = (message: Partial<Message>): HeldMessage =>
    new HeldMessage(queue, { MessageId: 'msg-1', ReceiptHandle: 'rh-1', Body: '{"id":"e1"}', ...message }, 0);
  const sent = (): SendInput => {
    const calls = fake.callsOf('SendMessageCommand');
    expect(calls).toHaveLength(1);
    return calls[0]?.input as SendInput;
  };
  return { fake, sourceUrl, dlqUrl, held, sent };
}

const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });

describe('moveToDeadLetterQueue', () => {
  it('sends the body to the DLQ with the reason: error code, message, source queue and receive count', async () => {
    const { fake, sourceUrl, dlqUrl, held, sent } = setup(false);
    const message = held({ Attributes: { ApproximateReceiveCount: '3' } });
    await moveToDeadLetterQueue(fake.asClient(), message, dlqUrl, new NonRetryableError('this order can never ship'));

    const input = sent();
    expect(input.QueueUrl).toBe(dlqUrl);
    expect(input.MessageBody).toBe('{"id":"e1"}');
    expect(input.MessageAttributes).toEqual({
      [DEAD_LETTER_ATTRIBUTES.errorCode]: text('NON_RETRYABLE'),
      [DEAD_LETTER_ATTRIBUTES.errorMessage]: text('this order can never ship'),
      [DEAD_LETTER_ATTRIBUTES.sourceQueue]: text(sourceUrl),
      [DEAD_LETTER_ATTRIBUTES.receiveCount]: { DataType: 'Number', StringValue: '3' },
    });
    // Standard DLQ: no FIFO fields.
    expect(input.MessageGroupId).toBeUndefined();
    expect(input.MessageDeduplicationId).toBeUndefined();
    expect(fake.messages(dlqUrl)).toHaveLength(1);
  });

  it('uses the AWS error name or UNKNOWN as the code, and a placeholder for an empty message', async () => {
    const { fake, dlqUrl, held } = setup(false);
    await moveToDeadLetterQueue(
      fake.asClient(),
      held({}),
      dlqUrl,
      Object.assign(new Error(''), { name: 'KmsAccessDenied' }),
    );
    await moveToDeadLetterQueue(fake.asClient(), held({}), dlqUrl, 'thrown string');
    const [first, second] = fake
      .callsOf('SendMessageCommand')
      .map((call) => (call.input as SendInput).MessageAttributes ?? {});
    expect(first?.[DEAD_LETTER_ATTRIBUTES.errorCode]?.StringValue).toBe('KmsAccessDenied');
    expect(first?.[DEAD_LETTER_ATTRIBUTES.errorMessage]?.StringValue).toBe('no message');
    expect(second?.[DEAD_LETTER_ATTRIBUTES.errorCode]?.StringValue).toBe('UNKNOWN');
    expect(second?.[DEAD_LETTER_ATTRIBUTES.errorMessage]?.StringValue).toBe('thrown string');
  });

  it('keeps the original attributes, stripped of the list fields SQS rejects on send', async () => {
    const { fake, dlqUrl, held, sent } = setup(false);
    const binary = new Uint8Array([1, 2, 3]);
    const message = held({
      MessageAttributes: {
        type: { DataType: 'String', StringValue: 'order.placed', StringListValues: [], BinaryListValues: [] },
        traceparent: text('00-abc-def-01'),
        blob: { DataType: 'Binary', BinaryValue: binary, StringListValues: [] },
      },
    });
    await moveToDeadLetterQueue(fake.asClient(), message, dlqUrl, new UnknownEventTypeError('order.placed'));

    const attributes = sent().MessageAttributes ?? {};
    expect(attributes.type).toEqual(text('order.placed'));
    expect(attributes.traceparent).toEqual(text('00-abc-def-01'));
    expect(attributes.blob).toEqual({ DataType: 'Binary', BinaryValue: binary });
    expect(attributes[DEAD_LETTER_ATTRIBUTES.errorCode]).toEqual(text('UNKNOWN_EVENT_TYPE'));
  });

  it("stays within SQS's 10 attributes: the four reason attributes plus the first six originals", async () => {
    const { fake, dlqUrl, held, sent } = setup(false);
    const originals = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`a${i}`, text(`v${i}`)]));
    await moveToDeadLetterQueue(fake.asClient(), held({ MessageAttributes: originals }), dlqUrl, new Error('x'));

    const names = Object.keys(sent().MessageAttributes ?? {});
    expect(names).toHaveLength(10);
    expect(names.filter((name) => name.startsWith('a'))).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5']);
  });

  it('keeps `type` and `traceparent` when the 10-attribute limit forces a cut', async () => {
    const { fake, dlqUrl, held, sent } = setup(false);
    const originals = {
      ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`a${i}`, text(`v${i}`)])),
      traceparent: text('00-abc-def-01'),
      type: text('order.placed'),
    };
    await moveToDeadLetterQueue(fake.asClient(), held({ MessageAttributes: originals }), dlqUrl, new Error('x'));
    const names = Object.keys(sent().MessageAttributes ?? {});
    expect(names).toHaveLength(10);
    expect(names).toEqual(expect.arrayContaining(['type', 'traceparent']));
  });

  it('replaces reason attributes left by an earlier dead-lettering instead of counting them twice', async () => {
    const { fake, dlqUrl, held, sent } = setup(false);
    const message = held({
      MessageAttributes: {
        [DEAD_LETTER_ATTRIBUTES.errorCode]: text('OLD_CODE'),
        [DEAD_LETTER_ATTRIBUTES.errorMessage]: text('old reason'),
        type: text('order.placed'),
      },
    });
    await moveToDeadLetterQueue(fake.asClient(), message, dlqUrl, new NonRetryableError('new reason'));
    const attributes = sent().MessageAttributes ?? {};
    expect(Object.keys(attributes)).toHaveLength(5);
    expect(attributes[DEAD_LETTER_ATTRIBUTES.errorCode]).toEqual(text('NON_RETRYABLE'));
    expect(attributes[DEAD_LETTER_ATTRIBUTES.errorMessage]).toEqual(text('new reason'));
  });

  it('keeps the FIFO group and deduplication ids', async () => {
    const { fake, dlqUrl, held, sent } = setup(true);
    const message = held({ Attributes: { MessageGroupId: 'order-7', MessageDeduplicationId: 'event-7' } });
    await moveToDeadLetterQueue(fake.asClient(), message, dlqUrl, new NonRetryableError('no'));
    expect(sent()).toMatchObject({ MessageGroupId: 'order-7', MessageDeduplicationId: 'event-7' });
    expect(fake.messages(dlqUrl)[0]).toMatchObject({ groupId: 'order-7', deduplicationId: 'event-7' });
  });

  it('falls back to the message id for a FIFO DLQ when the ids are missing (content-based deduplication)', async () => {
    const { fake, dlqUrl, held, sent } = setup(true);
    await moveToDeadLetterQueue(fake.asClient(), held({ Attributes: { MessageGroupId: 'g' } }), dlqUrl, new Error('x'));
    expect(sent()).toMatchObject({ MessageGroupId: 'g', MessageDeduplicationId: 'msg-1' });
  });

  it('truncates a long error message to 1,024 characters', async () => {
    const { fake, dlqUrl, held, sent } = setup(false);
    await moveToDeadLetterQueue(fake.asClient(), held({}), dlqUrl, new NonRetryableError('x'.repeat(5_000)));
    const value = sent().MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.errorMessage]?.StringValue ?? '';
    expect(value).toHaveLength(1_024);
    expect(value.endsWith('…')).toBe(true);
    expect(value.startsWith('x'.repeat(1_023))).toBe(true);
  });

  it("keeps a copy of a body that nearly fills SQS's limit within it: the reason first, cut to fit", async () => {
    const { fake, dlqUrl, held, sent } = setup(false);
    const body = 'x'.repeat(SQS_MAX_MESSAGE_BYTES - 300);
    const message = held({
      Body: body,
      MessageAttributes: { type: text('order.placed'), other: text('y'.repeat(50)) },
    });
    await moveToDeadLetterQueue(fake.asClient(), message, dlqUrl, new NonRetryableError('z'.repeat(1_000)));
    const input = sent();
    expect(input.MessageBody).toBe(body);
    const attributes = input.MessageAttributes ?? {};
    expect(messageSize(body, attributes)).toBeLessThanOrEqual(SQS_MAX_MESSAGE_BYTES);
    expect(attributes[DEAD_LETTER_ATTRIBUTES.errorCode]).toEqual(text('NON_RETRYABLE'));
    // 300 bytes: the code, source queue and receive count fit, the message takes the rest, the originals get none.
    expect(attributes[DEAD_LETTER_ATTRIBUTES.errorMessage]?.StringValue).toMatch(/^z+…$/);
    expect(attributes.type).toBeUndefined();
    expect(attributes.other).toBeUndefined();
    expect(messageSize(body, attributes)).toBeGreaterThan(SQS_MAX_MESSAGE_BYTES - 4);
  });

  it('keeps the original attributes that fit after a cut reason, in their order', async () => {
    const { fake, dlqUrl, held, sent } = setup(false);
    const body = 'x'.repeat(SQS_MAX_MESSAGE_BYTES - 1_500);
    const message = held({
      Body: body,
      MessageAttributes: { type: text('order.placed'), other: text('y'.repeat(500)) },
    });
    await moveToDeadLetterQueue(fake.asClient(), message, dlqUrl, new NonRetryableError('z'.repeat(1_000)));
    const attributes = sent().MessageAttributes ?? {};
    expect(attributes[DEAD_LETTER_ATTRIBUTES.errorMessage]?.StringValue).toBe('z'.repeat(1_000));
    expect(attributes.type).toEqual(text('order.placed'));
    expect(attributes.other).toBeUndefined();
    expect(messageSize(body, attributes)).toBeLessThanOrEqual(SQS_MAX_MESSAGE_BYTES);
  });

  it('still moves a body that fills the limit alone, without attributes rather than not at all', async () => {
    const { fake, dlqUrl, held, sent } = setup(false);
    const body = 'x'.repeat(SQS_MAX_MESSAGE_BYTES);
    await moveToDeadLetterQueue(fake.asClient(), held({ Body: body }), dlqUrl, new NonRetryableError('too big'));
    const input = sent();
    expect(input.MessageBody).toBe(body);
    expect(input.MessageAttributes).toEqual({});
  });

  it('replaces the characters SQS refuses in an attribute, which an error message may quote from the input', async () => {
    const { fake, dlqUrl, held, sent } = setup(false);
    await moveToDeadLetterQueue(
      fake.asClient(),
      held({}),
      dlqUrl,
      new NonRetryableError('a\u0000b\ud800c\u0007d\tok\u{1F600}'),
    );
    expect(sent().MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.errorMessage]?.StringValue).toBe(
      'a\ufffdb\ufffdc\ufffdd\tok\u{1F600}',
    );
  });

  it('never cuts a long error message inside a surrogate pair', async () => {
    const { fake, dlqUrl, held, sent } = setup(false);
    await moveToDeadLetterQueue(fake.asClient(), held({}), dlqUrl, new NonRetryableError('\u{1F600}'.repeat(600)));
    const value = sent().MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.errorMessage]?.StringValue ?? '';
    expect(value.endsWith('\u{1F600}…')).toBe(true);
    expect(value.length).toBeLessThanOrEqual(1_024);
  });

  it('rejects when the send fails, so the caller keeps (and retries) the original', async () => {
    const { fake, held } = setup(false);
    await expect(
      moveToDeadLetterQueue(fake.asClient(), held({}), 'http://fake-sqs.local/000000000000/missing', new Error('x')),
    ).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
  });
});
