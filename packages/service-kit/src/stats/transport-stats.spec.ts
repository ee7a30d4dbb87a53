import { describe, expect, it } from '@jest/globals';
import { FakeSqsClient } from '@sqsref/sqs-transport/testing';
import type { OutboxStore } from '@sqsref/sqs-transport';
import { OutboxRelay, SqsServer } from '@sqsref/sqs-transport';
import { TransportStats } from './transport-stats.js';

describe('TransportStats', () => {
  it('counts what the transport reports', () => {
    const fake = new FakeSqsClient();
    const server = new SqsServer({ client: fake.asClient(), queues: [{ url: 'http://fake/q' }] });
    const store = { claim: () => Promise.resolve([]) } as unknown as OutboxStore;
    const relay = new OutboxRelay({ store, client: fake.asClient() });
    const stats = new TransportStats().attach(server, relay);
    const base = { queueUrl: 'q', messageId: 'm', eventType: 't', groupId: undefined, receiveCount: 1 };
    const events = server.consumer.events;
    events.emit('received', base);
    events.emit('processed', { ...base, durationMs: 1, duplicate: false });
    events.emit('processed', { ...base, durationMs: 1, duplicate: true });
    events.emit('failed', { ...base, durationMs: 1, error: new Error('x'), retryable: true, outage: false });
    events.emit('retried', { ...base, delaySeconds: 1, reason: 'failed' });
    events.emit('failed', { ...base, durationMs: 1, error: new Error('db'), retryable: true, outage: true });
    events.emit('polling-paused', { error: new Error('db') });
    events.emit('held', { ...base, attempt: 1, delayMs: 500, error: new Error('db') });
    const duringOutage = stats.snapshot();
    events.emit('dead-lettered', { ...base, deadLetterQueueUrl: 'd', errorCode: 'X', reason: 'x' });
    relay.events.emit('sent', { ids: ['a', 'b'], queue: 'q', durationMs: 1 });
    relay.events.emit('parked', { id: 'c', queue: 'q', error: new Error('x'), attempts: 10 });
    events.emit('polling-resumed', { durationMs: 900 });
    expect(duringOutage.pollingPaused).toBe(true);
    expect(stats.snapshot()).toEqual({
      received: 1,
      processed: 2,
      duplicates: 1,
      failed: 2,
      retried: 1,
      heldForOutage: 1,
      pollingPaused: false,
      deadLettered: 1,
      outboxSent: 2,
      outboxParked: 1,
    });
  });
});
