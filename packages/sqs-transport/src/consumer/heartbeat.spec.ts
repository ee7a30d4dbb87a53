import { describe, expect, it } from '@jest/globals';
import type { ChangeMessageVisibilityBatchCommand, Message } from '@aws-sdk/client-sqs';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { Clock } from '../clock.js';
import { LeaseLostError, MaxProcessingTimeExceededError } from '../errors.js';
import type { ConsumerEvents } from '../events.js';
import { ConsumerEventBus } from '../events.js';
import { FakeSqsClient } from '../testing/index.js';
import { Heartbeat } from './heartbeat.js';
import type { QueueRuntime } from './queue-resolver.js';
import { HeldMessage } from './held-message.js';

const T0 = Date.UTC(2030, 0, 1);
const SECOND = 1_000;
const HOUR = 3_600 * SECOND;

type ExtendInput = ChangeMessageVisibilityBatchCommand['input'];

/** A FakeSqsClient, a heartbeat and a manual clock shared by both. */
function setup(options: { intervalMs?: number; maxProcessingMs?: number } = {}) {
  let now = T0;
  const clock: Clock = { now: () => now };
  const fake = new FakeSqsClient(clock);
  const events = new ConsumerEventBus();
  const heartbeat = new Heartbeat(
    fake.asClient(),
    { intervalMs: options.intervalMs ?? 10 * SECOND, maxProcessingMs: options.maxProcessingMs ?? HOUR },
    clock,
    events,
  );

  function queue(name: string, visibilityTimeoutSeconds = 30): QueueRuntime {
    const url = fake.createQueue(name, { visibilityTimeoutSeconds });
    return {
      url,
      name,
      fifo: name.endsWith('.fifo'),
      visibilityTimeoutSeconds,
      deadLetterQueueUrl: undefined,
      maxReceiveCount: undefined,
    };
  }

  /**
   * Puts `count` messages on the queue, receives them now (SQS keeps them invisible for
   * `sqsVisibilitySeconds`, by default the queue's) and tracks them as held messages.
   */
  async function receive(
    on: QueueRuntime,
    count = 1,
    sqsVisibilitySeconds = on.visibilityTimeoutSeconds,
  ): Promise<HeldMessage[]> {
    for (let i = 0; i < count; i += 1) fake.enqueue(on.url, `body-${i}`);
    const received: Message[] = [];
    while (received.length < count) {
      const result = (await fake.send(
        new ReceiveMessageCommand({
          QueueUrl: on.url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          VisibilityTimeout: sqsVisibilitySeconds,
        }),
      )) as { Messages: Message[] };
      received.push(...result.Messages);
    }
    return received.map((raw) => {
      const message = new HeldMessage(on, raw, now);
      message.markRunning();
      heartbeat.track(message);
      return message;
    });
  }

  const extendCalls = (): ExtendInput[] =>
    fake.callsOf('ChangeMessageVisibilityBatchCommand').map((call) => call.input as ExtendInput);

  return {
    fake,
    events,
    heartbeat,
    queue,
    receive,
    extendCalls,
    advance: (ms: number) => {
      now += ms;
    },
    at: (ms: number) => {
      now = T0 + ms;
    },
    now: () => now,
  };
}

describe('Heartbeat', () => {
  it('extends only messages whose visibility ends within two ticks', async () => {
    const hb = setup({ intervalMs: 10 * SECOND });
    const jobs = hb.queue('jobs', 30);
    const [early] = await hb.receive(jobs); // visible again at T0 + 30 s
    hb.at(5 * SECOND);
    const [late] = await hb.receive(jobs); // visible again at T0 + 35 s

    hb.at(9 * SECOND); // horizon T0 + 29 s: nothing is due
    await hb.heartbeat.tick();
    expect(hb.extendCalls()).toHaveLength(0);

    hb.at(10 * SECOND); // horizon T0 + 30 s: only `early`
    await hb.heartbeat.tick();
    expect(hb.extendCalls()).toHaveLength(1);
    expect(hb.extendCalls()[0]?.Entries).toEqual([
      { Id: '0', ReceiptHandle: early?.receiptHandle, VisibilityTimeout: 30 },
    ]);
    expect(late?.visibleUntil).toBe(T0 + 35 * SECOND);
  });

  it('sets visibleUntil to the tick time plus the extension', async () => {
    const hb = setup();
    const [message] = await hb.receive(hb.queue('jobs', 30));
    hb.at(12 * SECOND);
    await hb.heartbeat.tick();
    expect(message?.visibleUntil).toBe(T0 + 42 * SECOND);
    expect(message?.signal.aborted).toBe(false);
    // SQS agrees: the message stays invisible until then.
    expect(hb.fake.visibleMessages(message?.queue.url ?? '')).toHaveLength(0);
  });

  it('sends one ChangeMessageVisibilityBatch per queue, in chunks of 10', async () => {
    const hb = setup();
    const big = hb.queue('big', 30);
    const small = hb.queue('small', 30);
    const bigMessages = await hb.receive(big, 23);
    const smallMessages = await hb.receive(small, 2);
    hb.at(20 * SECOND);
    await hb.heartbeat.tick();

    const calls = hb.extendCalls();
    const sizes = (url: string): number[] =>
      calls.filter((call) => call.QueueUrl === url).map((call) => call.Entries?.length ?? 0);
    expect(sizes(big.url)).toEqual([10, 10, 3]);
    expect(sizes(small.url)).toEqual([2]);
    // Every held message was covered exactly once, with batch-local entry ids.
    const handles = calls.flatMap((call) => call.Entries?.map((entry) => entry.ReceiptHandle) ?? []);
    expect(handles.sort()).toEqual([...bigMessages, ...smallMessages].map((message) => message.receiptHandle).sort());
    expect(calls[0]?.Entries?.map((entry) => entry.Id)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect([...bigMessages, ...smallMessages].every((message) => message.visibleUntil === T0 + 50 * SECOND)).toBe(true);
  });

  it('skips settled and untracked messages', async () => {
    const hb = setup();
    const jobs = hb.queue('jobs', 30);
    const [settled, untracked, kept] = await hb.receive(jobs, 3);
    if (!settled || !untracked || !kept) throw new Error('expected three messages');
    settled.markSettled();
    hb.heartbeat.untrack(untracked);
    expect(hb.heartbeat.trackedCount).toBe(2);
    hb.at(25 * SECOND);
    await hb.heartbeat.tick();
    expect(hb.extendCalls().flatMap((call) => call.Entries?.map((entry) => entry.ReceiptHandle))).toEqual([
      kept.receiptHandle,
    ]);
  });

  it('stops at maxProcessingMs: aborts with MAX_PROCESSING_TIME_EXCEEDED and never extends again', async () => {
    const hb = setup({ intervalMs: 10 * SECOND, maxProcessingMs: 60 * SECOND });
    const [message] = await hb.receive(hb.queue('jobs', 30));
    if (!message) throw new Error('expected a message');

    hb.at(20 * SECOND);
    await hb.heartbeat.tick(); // 20 s held: extended to T0 + 50 s
    expect(hb.extendCalls()).toHaveLength(1);
    hb.at(40 * SECOND);
    await hb.heartbeat.tick(); // 40 s held: extended to T0 + 70 s
    expect(hb.extendCalls()).toHaveLength(2);

    hb.at(60 * SECOND);
    await hb.heartbeat.tick(); // 60 s held: the limit
    expect(hb.extendCalls()).toHaveLength(2);
    expect(message.signal.aborted).toBe(true);
    expect(message.signal.reason).toBeInstanceOf(MaxProcessingTimeExceededError);
    expect(message.signal.reason).toMatchObject({ code: 'MAX_PROCESSING_TIME_EXCEEDED', limitMs: 60_000 });
    expect(hb.heartbeat.trackedCount).toBe(0);

    hb.at(65 * SECOND);
    await hb.heartbeat.tick();
    expect(hb.extendCalls()).toHaveLength(2);
  });

  it('enforces maxProcessingMs on the next tick even when the message is far from expiry', async () => {
    const hb = setup({ intervalMs: 10 * SECOND, maxProcessingMs: 60 * SECOND });
    const [message] = await hb.receive(hb.queue('jobs', 3_600));
    if (!message) throw new Error('expected a message');
    hb.at(61 * SECOND);
    await hb.heartbeat.tick();
    expect(message.signal.reason).toMatchObject({ code: 'MAX_PROCESSING_TIME_EXCEEDED' });
    expect(hb.extendCalls()).toHaveLength(0);
  });

  it('caps the extension so the message is never held past 12 hours from its receive', async () => {
    const hb = setup({ intervalMs: 10 * SECOND, maxProcessingMs: 12 * HOUR });
    // SQS itself keeps it invisible for 12 h; the consumer believes it is due within the next two ticks.
    const [message] = await hb.receive(hb.queue('jobs', 30), 1, 43_200);
    if (!message) throw new Error('expected a message');
    hb.at(12 * HOUR - 20 * SECOND);
    message.lease.extended(hb.now() + 10 * SECOND);

    await hb.heartbeat.tick();
    // 12 h - 5 s margin - (12 h - 20 s) = 15 s, not the queue's 30 s.
    expect(hb.extendCalls()[0]?.Entries?.[0]?.VisibilityTimeout).toBe(15);
    expect(message.visibleUntil).toBe(T0 + 12 * HOUR - 5 * SECOND);

    // Later ticks only ever reach the same end: receive + 12 h - 5 s.
    hb.at(12 * HOUR - 10 * SECOND);
    await hb.heartbeat.tick();
    expect(hb.extendCalls()[1]?.Entries?.[0]?.VisibilityTimeout).toBe(5);
    expect(message.visibleUntil).toBe(T0 + 12 * HOUR - 5 * SECOND);
    expect(message.signal.aborted).toBe(false);

    // Then there is nothing left to extend: no call, and the lease runs out.
    hb.at(12 * HOUR - 5 * SECOND);
    await hb.heartbeat.tick();
    expect(hb.extendCalls()).toHaveLength(2);
    expect(message.signal.reason).toBeInstanceOf(LeaseLostError);
  });

  it('aborts a refused message with LEASE_LOST and still extends the others of the batch', async () => {
    const hb = setup();
    const jobs = hb.queue('jobs', 30);
    const [lost, kept] = await hb.receive(jobs, 2);
    if (!lost || !kept) throw new Error('expected two messages');
    hb.fake.failExtension = ({ receiptHandle }) =>
      receiptHandle === lost.receiptHandle ? 'ReceiptHandleIsInvalid' : undefined;
    const extended: Array<ConsumerEvents['extended']> = [];
    hb.events.on('extended', (event) => extended.push(event));

    hb.at(20 * SECOND);
    await hb.heartbeat.tick();

    expect(lost.signal.aborted).toBe(true);
    expect(lost.signal.reason).toBeInstanceOf(LeaseLostError);
    expect((lost.signal.reason as LeaseLostError).message).toContain('ReceiptHandleIsInvalid');
    expect(lost.visibleUntil).toBe(T0 + 30 * SECOND);
    expect(kept.signal.aborted).toBe(false);
    expect(kept.visibleUntil).toBe(T0 + 50 * SECOND);
    expect(extended.map((event) => event.messageIds)).toEqual([[kept.messageId]]);
    // The lost message is no longer tracked: the next tick leaves it alone.
    expect(hb.heartbeat.trackedCount).toBe(1);
  });

  it('aborts a message whose visibility already ran out, without asking SQS', async () => {
    const hb = setup();
    const [message] = await hb.receive(hb.queue('jobs', 30));
    hb.at(30 * SECOND);
    await hb.heartbeat.tick();
    expect(hb.extendCalls()).toHaveLength(0);
    expect(message?.signal.reason).toBeInstanceOf(LeaseLostError);
    expect(message?.signal.reason).toMatchObject({ code: 'LEASE_LOST' });
    expect(hb.heartbeat.trackedCount).toBe(0);
  });

  it('calls onExtended after a successful extension only', async () => {
    const hb = setup();
    const [ok, refused] = await hb.receive(hb.queue('jobs', 30), 2);
    if (!ok || !refused) throw new Error('expected two messages');
    const renewed: string[] = [];
    ok.lease.onExtended(() => renewed.push('ok'));
    refused.lease.onExtended(() => renewed.push('refused'));
    hb.fake.failExtension = ({ receiptHandle }) =>
      receiptHandle === refused.receiptHandle ? 'ReceiptHandleIsInvalid' : undefined;

    hb.at(10 * SECOND);
    await hb.heartbeat.tick();
    expect(renewed).toEqual(['ok']);
    hb.at(20 * SECOND);
    await hb.heartbeat.tick();
    expect(renewed).toEqual(['ok', 'ok']);
  });

  it("emits 'extended' per batch with the message ids", async () => {
    const hb = setup();
    const messages = await hb.receive(hb.queue('jobs', 30), 12);
    const extended: Array<ConsumerEvents['extended']> = [];
    hb.events.on('extended', (event) => extended.push(event));
    hb.at(20 * SECOND);
    await hb.heartbeat.tick();
    expect(extended.map((event) => event.messageIds.length)).toEqual([10, 2]);
    expect(extended.flatMap((event) => event.messageIds).sort()).toEqual(
      messages.map((message) => message.messageId).sort(),
    );
    expect(extended.every((event) => event.queueUrl === messages[0]?.queue.url && event.durationMs === 0)).toBe(true);
  });

  it("reports a failed call as an 'error' and tries again on the next tick", async () => {
    const hb = setup();
    const [message] = await hb.receive(hb.queue('jobs', 30));
    const send = hb.fake.send.bind(hb.fake);
    let failures = 1;
    hb.fake.send = async (command, options) => {
      if (failures > 0 && (command as object).constructor.name === 'ChangeMessageVisibilityBatchCommand') {
        failures -= 1;
        throw new Error('socket hang up');
      }
      return send(command, options);
    };
    const errors: Array<ConsumerEvents['error']> = [];
    hb.events.on('error', (event) => errors.push(event));

    hb.at(15 * SECOND);
    await hb.heartbeat.tick();
    expect(errors).toEqual([
      expect.objectContaining({ operation: 'extend', error: expect.objectContaining({ message: 'socket hang up' }) }),
    ]);
    expect(message?.signal.aborted).toBe(false);
    expect(message?.visibleUntil).toBe(T0 + 30 * SECOND);

    hb.at(25 * SECOND);
    await hb.heartbeat.tick();
    expect(message?.visibleUntil).toBe(T0 + 55 * SECOND);
  });
});
