import { describe, expect, it } from '@jest/globals';
import type { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { OutboxFailure, OutboxMessage, OutboxStore } from '../outbox.js';
import { FakeSqsClient } from '../testing/fake-sqs-client.js';
import { waitFor } from '../testing/wait-for.js';
import type { RelayEvents } from './relay-events.js';
import { OutboxRelay } from './relay.js';

/** An in-memory OutboxStore: claim returns every pending row once. */
class MemoryOutbox implements OutboxStore {
  readonly rows: OutboxMessage[] = [];
  readonly sent: string[] = [];
  readonly failures: OutboxFailure[] = [];
  readonly released: string[] = [];
  readonly claims: Array<{ limit: number; maxPerGroup: number | undefined }> = [];
  private claimed = new Set<string>();

  add(row: Partial<OutboxMessage> & { id: string; queue: string }): void {
    this.rows.push({
      groupId: null,
      deduplicationId: null,
      body: `{"id":"${row.id}"}`,
      attributes: { type: 't' },
      attempts: 0,
      createdAt: new Date(),
      ...row,
    });
  }

  claim(_owner: string, limit: number, _leaseMs: number, maxPerGroup?: number): Promise<OutboxMessage[]> {
    this.claims.push({ limit, maxPerGroup });
    const rows = this.rows.filter((row) => !this.claimed.has(row.id) && !this.sent.includes(row.id)).slice(0, limit);
    rows.forEach((row) => this.claimed.add(row.id));
    return Promise.resolve(rows);
  }

  markSent(_owner: string, ids: readonly string[]): Promise<void> {
    this.sent.push(...ids);
    return Promise.resolve();
  }

  markFailed(_owner: string, failures: readonly OutboxFailure[]): Promise<void> {
    this.failures.push(...failures);
    for (const failure of failures) {
      this.claimed.delete(failure.id);
      const row = this.rows.find((candidate) => candidate.id === failure.id);
      if (row) row.attempts += 1;
    }
    return Promise.resolve();
  }

  release(_owner: string, ids: readonly string[]): Promise<void> {
    this.released.push(...ids);
    ids.forEach((id) => this.claimed.delete(id));
    return Promise.resolve();
  }

  deleteSentBefore(): Promise<number> {
    return Promise.resolve(0);
  }
}

describe('OutboxRelay', () => {
  it('sends claimed rows and marks them sent; FIFO rows carry their group and the event id as deduplication id', async () => {
    const fake = new FakeSqsClient();
    const fifoUrl = fake.createQueue('events.fifo');
    const standardUrl = fake.createQueue('events');
    const store = new MemoryOutbox();
    store.add({ id: 'e1', queue: 'events.fifo', groupId: 'order-1' });
    store.add({ id: 'e2', queue: 'events' });
    const relay = new OutboxRelay({ store, client: fake.asClient() });

    const pass = await relay.runOnce();

    expect(pass).toEqual({ claimed: 2, sent: 2, failed: 0, parked: 0, held: 0 });
    expect(store.sent.sort()).toEqual(['e1', 'e2']);
    expect(fake.messages(fifoUrl)).toEqual([expect.objectContaining({ groupId: 'order-1', deduplicationId: 'e1' })]);
    expect(fake.messages(standardUrl)).toEqual([
      expect.objectContaining({ groupId: undefined, deduplicationId: undefined }),
    ]);
    expect(fake.messages(standardUrl)[0]?.attributes.type?.StringValue).toBe('t');
  });

  it('reschedules a failed row with exponential backoff and jitter from the injected clock and random source', async () => {
    const fake = new FakeSqsClient();
    fake.createQueue('events');
    const store = new MemoryOutbox();
    store.add({ id: 'e1', queue: 'missing-queue' });
    const relay = new OutboxRelay({
      store,
      client: fake.asClient(),
      retryBaseDelayMs: 1_000,
      clock: { now: () => 10_000 },
      random: () => 1,
    });
    const failed: number[] = [];
    relay.events.on('failed', (event) => failed.push(event.retryAt.getTime()));

    expect(await relay.runOnce()).toMatchObject({ failed: 1, sent: 0 });
    expect(await relay.runOnce()).toMatchObject({ failed: 1 });
    expect(failed).toEqual([11_000, 12_000]);
    expect(store.failures.map((failure) => failure.retryAt?.getTime())).toEqual([11_000, 12_000]);
    expect(store.failures[0]?.error).toContain('QueueDoesNotExist');
  });

  it('parks a row after maxAttempts, with its error', async () => {
    const fake = new FakeSqsClient();
    const store = new MemoryOutbox();
    store.add({ id: 'e1', queue: 'nowhere', attempts: 2 });
    const relay = new OutboxRelay({ store, client: fake.asClient(), maxAttempts: 3 });
    const parked: string[] = [];
    relay.events.on('parked', (event) => parked.push(event.id));

    expect(await relay.runOnce()).toMatchObject({ parked: 1 });
    expect(parked).toEqual(['e1']);
    expect(store.failures).toEqual([expect.objectContaining({ id: 'e1', retryAt: null })]);
  });

  it('emits "sent" before marking, so a crash in between resends rather than loses', async () => {
    const fake = new FakeSqsClient();
    fake.createQueue('events');
    const store = new MemoryOutbox();
    store.add({ id: 'e1', queue: 'events' });
    const relay = new OutboxRelay({ store, client: fake.asClient() });
    const markedAtSend: number[] = [];
    relay.events.on('sent', () => markedAtSend.push(store.sent.length));
    await relay.runOnce();
    expect(markedAtSend).toEqual([0]);
    expect(store.sent).toEqual(['e1']);
  });

  it('sends up to 10 rows of one queue per SendMessageBatch', async () => {
    const fake = new FakeSqsClient();
    fake.createQueue('events');
    const store = new MemoryOutbox();
    for (let i = 0; i < 25; i += 1) store.add({ id: `e${i}`, queue: 'events' });
    const relay = new OutboxRelay({ store, client: fake.asClient() });
    await relay.runOnce();
    const sizes = fake
      .callsOf('SendMessageBatchCommand')
      .map((call) => (call.input as SendMessageBatchCommand['input']).Entries?.length);
    expect(sizes).toEqual([10, 10, 5]);
  });

  it('claims runs of up to maxPerGroup rows per group, never more than batchSize', async () => {
    const fake = new FakeSqsClient();
    const store = new MemoryOutbox();
    await new OutboxRelay({ store, client: fake.asClient() }).runOnce();
    await new OutboxRelay({ store, client: fake.asClient(), batchSize: 20, maxPerGroup: 50 }).runOnce();
    await new OutboxRelay({ store, client: fake.asClient(), maxPerGroup: 1 }).runOnce();
    expect(store.claims).toEqual([
      { limit: 100, maxPerGroup: 100 },
      { limit: 20, maxPerGroup: 20 },
      { limit: 100, maxPerGroup: 1 },
    ]);
    expect(() => new OutboxRelay({ store, client: fake.asClient(), maxPerGroup: 0 })).toThrow(
      '"maxPerGroup": must be an integer from 1 to 1000',
    );
  });

  it("a row failing inside its group's run: earlier rows marked sent, it is rescheduled, later rows released unmarked", async () => {
    const fake = new FakeSqsClient();
    const url = fake.createQueue('events.fifo');
    fake.failSend = (entry) => (entry.body.includes('"e3"') ? 'InternalError' : undefined);
    const store = new MemoryOutbox();
    for (let i = 0; i < 15; i += 1) store.add({ id: `e${i}`, queue: 'events.fifo', groupId: 'order-1' });
    store.add({ id: 'other', queue: 'events.fifo', groupId: 'order-2' });
    const relay = new OutboxRelay({ store, client: fake.asClient(), retryBaseDelayMs: 1_000, clock: { now: () => 0 } });
    const overtook: Array<RelayEvents['overtook']> = [];
    relay.events.on('overtook', (event) => overtook.push(event));

    const pass = await relay.runOnce();

    expect(pass).toEqual({ claimed: 16, sent: 4, failed: 1, parked: 0, held: 11 });
    expect(store.sent).toEqual(['e0', 'e1', 'e2', 'other']);
    expect(store.failures).toEqual([expect.objectContaining({ id: 'e3', retryAt: expect.any(Date) })]);
    expect(store.released).toEqual(Array.from({ length: 11 }, (_, i) => `e${i + 4}`));
    // The fake, like fauxqs, took e4..e9 from the same call as e3: reported, and not marked sent.
    expect(overtook.map((event) => event.id)).toEqual(['e4', 'e5', 'e6', 'e7', 'e8', 'e9']);
    expect(overtook.every((event) => event.behind === 'e3')).toBe(true);
    // e10..e14 were in the next call of the group, which never went out.
    expect(fake.messages(url).map((message) => message.deduplicationId)).not.toContain('e10');
  });

  it('parks a row SQS would refuse for its contents before any call, and holds the rest of its group', async () => {
    const fake = new FakeSqsClient();
    fake.createQueue('events.fifo');
    const store = new MemoryOutbox();
    store.add({ id: 'e0', queue: 'events.fifo', groupId: 'order-1', body: '{"note":"\uFFFF"}' });
    store.add({ id: 'e1', queue: 'events.fifo', groupId: 'order-1' });
    const relay = new OutboxRelay({ store, client: fake.asClient() });
    const parked: Array<RelayEvents['parked']> = [];
    relay.events.on('parked', (event) => parked.push(event));

    expect(await relay.runOnce()).toMatchObject({ parked: 1, held: 1, sent: 0 });
    expect(parked[0]?.error.message).toContain('InvalidMessageContents');
    expect(parked[0]?.error.message).toContain('U+FFFF');
    expect(store.released).toEqual(['e1']);
    expect(fake.callsOf('SendMessageBatchCommand')).toEqual([]);
  });

  it.each([
    ['claiming rows', 'claim', 'claim'],
    ['marking rows sent', 'mark', 'markSent'],
    ['recording failed rows', 'mark', 'markFailed'],
  ] as const)('reports a store failure while %s as operation "%s"', async (_, operation, method) => {
    const fake = new FakeSqsClient();
    fake.createQueue('events');
    const store = new MemoryOutbox();
    store.add({ id: 'sent', queue: 'events' });
    store.add({ id: 'failed', queue: 'missing-queue' });
    const broken = new Error(`${method} failed`);
    const fail = (): Promise<never> => Promise.reject(broken);
    store[method] = fail;
    const relay = new OutboxRelay({ store, client: fake.asClient(), idleWaitMs: 10 });
    const errors: Array<RelayEvents['error']> = [];
    relay.events.on('error', (event) => errors.push(event));

    relay.start();
    try {
      await waitFor(() => errors.length > 0, { description: 'an error event' });
    } finally {
      await relay.stop();
    }
    expect(errors[0]).toEqual({ operation, error: broken });
  });

  it('backs off passes that fail as a whole from 200 ms, doubling, up to five idle waits, on the injected clock', async () => {
    const slept: number[] = [];
    const store = new MemoryOutbox();
    store.claim = () => Promise.reject(new Error('database away'));
    const relay = new OutboxRelay({
      store,
      client: new FakeSqsClient().asClient(),
      idleWaitMs: 1_000,
      // Each wait yields to the event loop, so the loop never starves the test.
      clock: {
        now: () => 0,
        sleep: (ms) => {
          slept.push(ms);
          return new Promise((resolve) => setImmediate(resolve));
        },
      },
    });

    relay.start();
    try {
      await waitFor(() => slept.length >= 7, { description: 'seven backoffs' });
    } finally {
      await relay.stop();
    }
    expect(slept.slice(0, 7)).toEqual([200, 400, 800, 1_600, 3_200, 5_000, 5_000]);
  });

  it('validates its options, naming the option and range', () => {
    const store = new MemoryOutbox();
    expect(() => new OutboxRelay({ store: {} as OutboxStore })).toThrow('"store": must be an OutboxStore');
    expect(() => new OutboxRelay({ store, batchSize: 0, endpoint: 'http://127.0.0.1:1' })).toThrow(
      '"batchSize": must be an integer from 1 to 1000',
    );
    expect(() => new OutboxRelay({ store, leaseMs: 10, endpoint: 'http://127.0.0.1:1' })).toThrow(
      '"leaseMs": must be an integer from 1000',
    );
  });
});

// Failures that never succeed, the retry cap, and cleanup: through the relay's public API (runOnce, start/stop,
// cleanup, events) only, so that these hold whatever the relay does inside a pass.
describe('OutboxRelay: rows that can never be sent, the retry cap, and cleanup', () => {
  it('parks a row at once, on its first attempt, when SQS could never take it (a message too large)', async () => {
    const fake = new FakeSqsClient();
    fake.createQueue('events');
    const store = new MemoryOutbox();
    store.add({ id: 'huge', queue: 'events', body: JSON.stringify({ id: 'huge', blob: 'x'.repeat(2_048) }) });
    store.add({ id: 'small', queue: 'events' });
    const relay = new OutboxRelay({ store, client: fake.asClient(), maxAttempts: 10, maxMessageBytes: 1_024 });
    const parked: Array<RelayEvents['parked']> = [];
    relay.events.on('parked', (event) => parked.push(event));
    relay.events.on('failed', (event) => parked.push({ ...event, id: `retried ${event.id}` }));

    expect(await relay.runOnce()).toMatchObject({ sent: 1, failed: 0, parked: 1 });
    expect(parked).toEqual([
      expect.objectContaining({
        id: 'huge',
        attempts: 1,
        error: expect.objectContaining({ code: 'MESSAGE_TOO_LARGE' }),
      }),
    ]);
    expect(store.failures).toEqual([
      expect.objectContaining({ id: 'huge', retryAt: null, error: expect.stringContaining('MessageTooLargeError') }),
    ]);
    expect(store.sent).toEqual(['small']);
  });

  it('caps the retry delay of a row at retryMaxDelayMs, jitter included', async () => {
    const fake = new FakeSqsClient();
    const store = new MemoryOutbox();
    // Attempt 9: 1 s * 2^8 = 256 s uncapped.
    store.add({ id: 'e1', queue: 'missing-queue', attempts: 8 });
    let draw = 1;
    const relay = new OutboxRelay({
      store,
      client: fake.asClient(),
      retryBaseDelayMs: 1_000,
      retryMaxDelayMs: 5_000,
      maxAttempts: 100,
      clock: { now: () => 10_000 },
      random: () => draw,
    });
    const retryAts: number[] = [];
    relay.events.on('failed', (event) => retryAts.push(event.retryAt.getTime()));

    await relay.runOnce();
    draw = 0;
    await relay.runOnce();

    // Full draw: the cap itself; zero draw: its fixed half.
    expect(retryAts).toEqual([15_000, 12_500]);
    expect(store.failures.map((failure) => failure.retryAt?.getTime())).toEqual([15_000, 12_500]);
  });

  it('cleanup() deletes sent rows older than sentRetentionMs and reports how many', async () => {
    const store = new MemoryOutbox();
    const cutoffs: number[] = [];
    (store as OutboxStore).deleteSentBefore = (cutoff: Date) => {
      cutoffs.push(cutoff.getTime());
      return Promise.resolve(cutoffs.length === 1 ? 3 : 0);
    };
    const relay = new OutboxRelay({
      store,
      client: new FakeSqsClient().asClient(),
      sentRetentionMs: 60_000,
      clock: { now: () => 1_000_000 },
    });
    const cleaned: number[] = [];
    relay.events.on('cleaned', (event) => cleaned.push(event.count));

    expect(await relay.cleanup()).toBe(3);
    expect(await relay.cleanup()).toBe(0);
    expect(cutoffs).toEqual([940_000, 940_000]);
    expect(cleaned).toEqual([3]);
  });

  it('a running relay cleans up at start and then once per cleanupIntervalMs on its clock, not on every pass', async () => {
    let now = 1_000_000;
    const store = new MemoryOutbox();
    const cutoffs: number[] = [];
    (store as OutboxStore).deleteSentBefore = (cutoff: Date) => {
      cutoffs.push(cutoff.getTime());
      return Promise.resolve(0);
    };
    let passes = 0;
    const claim = store.claim.bind(store);
    store.claim = (...args) => {
      passes += 1;
      return claim(...args);
    };
    const relay = new OutboxRelay({
      store,
      client: new FakeSqsClient().asClient(),
      idleWaitMs: 10,
      sentRetentionMs: 5_000,
      cleanupIntervalMs: 60_000,
      clock: { now: () => now },
    });

    relay.start();
    try {
      await waitFor(() => cutoffs.length === 1 && passes >= 3, { description: 'three passes, one cleanup' });
      now += 59_999;
      const seen = passes;
      await waitFor(() => passes >= seen + 3, { description: 'three more passes' });
      expect(cutoffs).toEqual([995_000]);
      now += 1;
      await waitFor(() => cutoffs.length === 2, { description: 'a second cleanup' });
    } finally {
      await relay.stop();
    }
    expect(cutoffs).toEqual([995_000, 1_055_000]);
  });
});
