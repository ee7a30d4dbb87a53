import { describe, expect, it } from '@jest/globals';
import type { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { SendFailedError } from '../errors.js';
import { FakeSqsClient } from '../testing/fake-sqs-client.js';
import type { OrderedItem } from './group-ordered-send.js';
import { sendInGroupOrder } from './group-ordered-send.js';

const MAX_BYTES = 262_144;

function items(queueUrl: string, group: string | null, ids: string[]): OrderedItem[] {
  return ids.map((id) => ({
    id,
    groupKey: group,
    size: id.length,
    message: { queueUrl, body: id, ...(group === null ? {} : { groupId: group, deduplicationId: id }) },
  }));
}

const range = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

function sentBodies(fake: FakeSqsClient): string[][] {
  return fake
    .callsOf('SendMessageBatchCommand')
    .map((call) => ((call.input as SendMessageBatchCommand['input']).Entries ?? []).map((e) => e.MessageBody ?? ''));
}

/** Makes each call of `fake` take a few ms (so calls can overlap) and counts the most in flight at once. */
function countConcurrentCalls(fake: FakeSqsClient): { readonly most: number } {
  let inFlight = 0;
  const counts = { most: 0 };
  const send = fake.send.bind(fake);
  fake.send = async (command, options) => {
    inFlight += 1;
    counts.most = Math.max(counts.most, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    inFlight -= 1;
    return send(command, options);
  };
  return counts;
}

describe('sendInGroupOrder', () => {
  it("sends a group's items in order, 10 per call, each call after the previous one's answer", async () => {
    const fake = new FakeSqsClient();
    const url = fake.createQueue('events.fifo');
    const concurrency = countConcurrentCalls(fake);

    const outcomes = await sendInGroupOrder(fake.asClient(), items(url, 'g', range('e', 25)), MAX_BYTES);

    expect(sentBodies(fake).map((bodies) => bodies.length)).toEqual([10, 10, 5]);
    expect(fake.messages(url).map((m) => m.body)).toEqual(range('e', 25));
    expect(concurrency.most).toBe(1);
    expect([...outcomes.values()].every((outcome) => outcome.status === 'sent')).toBe(true);
  });

  it('keeps batches that share no group in flight at once', async () => {
    const fake = new FakeSqsClient();
    const url = fake.createQueue('events.fifo');
    const concurrency = countConcurrentCalls(fake);
    const all = range('g', 30).flatMap((group) => items(url, group, [`${group}-a`]));

    await sendInGroupOrder(fake.asClient(), all, MAX_BYTES);

    expect(sentBodies(fake)).toHaveLength(3);
    expect(concurrency.most).toBe(3);
  });

  it('after a failed entry, holds the rest of its group: later entries of the call are not counted as sent, later calls leave them out', async () => {
    const fake = new FakeSqsClient();
    const url = fake.createQueue('events.fifo');
    fake.failSend = (entry) => (entry.body === 'a3' ? 'InternalError' : undefined);
    // Group a: a0..a14 (calls a0..a9, then a10..a14 with b0..b4), claimed with group b's rows in between.
    const all = [
      ...items(url, 'a', range('a', 5)),
      ...items(url, 'b', range('b', 5)),
      ...items(url, 'a', range('a', 15).slice(5)),
    ];

    const outcomes = await sendInGroupOrder(fake.asClient(), all, MAX_BYTES);

    expect(sentBodies(fake)[0]).toEqual(range('a', 10));
    expect(outcomes.get('a2')).toEqual({ status: 'sent' });
    expect(outcomes.get('a3')).toEqual({ status: 'failed', error: expect.any(SendFailedError) });
    // Like fauxqs, the fake took a4..a9 although a3 failed: held all the same, flagged as on the queue.
    for (const id of range('a', 10).slice(4)) {
      expect(outcomes.get(id)).toEqual({ status: 'held', behind: 'a3', acceptedBySqs: true });
    }
    for (const id of range('a', 15).slice(10)) {
      expect(outcomes.get(id)).toEqual({ status: 'held', behind: 'a3', acceptedBySqs: false });
    }
    expect(range('b', 5).map((id) => outcomes.get(id)?.status)).toEqual(Array(5).fill('sent'));
    expect(sentBodies(fake).flat()).not.toContain('a10');
  });

  it('an item that cannot be sent fails without a call and holds the rest of its group; other groups go on', async () => {
    const fake = new FakeSqsClient();
    const url = fake.createQueue('events.fifo');
    const broken: OrderedItem = { id: 'a0', groupKey: 'a', error: new Error('too large') };
    const all = [broken, ...items(url, 'a', ['a1']), ...items(url, null, ['loose'])];

    const outcomes = await sendInGroupOrder(fake.asClient(), all, MAX_BYTES);

    expect(outcomes.get('a0')).toEqual({ status: 'failed', error: broken.error });
    expect(outcomes.get('a1')).toEqual({ status: 'held', behind: 'a0', acceptedBySqs: false });
    expect(outcomes.get('loose')).toEqual({ status: 'sent' });
    expect(sentBodies(fake)).toEqual([['loose']]);
  });

  it("a call that fails as a whole fails each group's first entry and holds the rest; ungrouped entries each fail", async () => {
    const fake = new FakeSqsClient();
    const url = fake.createQueue('events.fifo');
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException', $fault: 'client' });
    fake.send = () => Promise.reject(throttled);
    const all = [...items(url, 'a', ['a0', 'a1']), ...items(url, null, ['x', 'y'])];

    const outcomes = await sendInGroupOrder(fake.asClient(), all, MAX_BYTES);

    const failure = outcomes.get('a0');
    expect(failure).toEqual({ status: 'failed', error: expect.any(SendFailedError) });
    expect(failure?.status === 'failed' && (failure.error as SendFailedError).senderFault).toBe(false);
    expect(outcomes.get('a1')).toEqual({ status: 'held', behind: 'a0', acceptedBySqs: false });
    expect(outcomes.get('x')?.status).toBe('failed');
    expect(outcomes.get('y')?.status).toBe('failed');
  });

  it("keeps a short group's items in one call rather than cutting them across two", async () => {
    const fake = new FakeSqsClient();
    const url = fake.createQueue('events.fifo');
    // Claim order interleaves the groups: a0 b0 c0 d0 a1 b1 c1 d1 a2 b2 c2 d2.
    const all = [0, 1, 2].flatMap((i) => ['a', 'b', 'c', 'd'].flatMap((g) => items(url, g, [`${g}${i}`])));

    await sendInGroupOrder(fake.asClient(), all, MAX_BYTES);

    expect(sentBodies(fake)).toEqual([
      ['a0', 'a1', 'a2', 'b0', 'b1', 'b2', 'c0', 'c1', 'c2'],
      ['d0', 'd1', 'd2'],
    ]);
  });

  it('cuts a batch before it would pass the byte limit', async () => {
    const fake = new FakeSqsClient();
    const url = fake.createQueue('events');
    const big = items(url, null, range('e', 4)).map((item) => ({ ...item, size: 400 }));

    await sendInGroupOrder(fake.asClient(), big, 1_000);

    expect(sentBodies(fake).map((bodies) => bodies.length)).toEqual([2, 2]);
  });
});
