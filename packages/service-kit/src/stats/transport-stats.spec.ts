import { describe, expect, it } from '@jest/globals';
import type { MessageEventBase, OutboxStore } from '@sqsref/sqs-transport';
import { OutboxRelay, SqsServer } from '@sqsref/sqs-transport';
import { TransportMetrics } from '@sqsref/sqs-transport/metrics';
import { FakeSqsClient } from '@sqsref/sqs-transport/testing';
import { TransportStats } from './transport-stats.js';

describe('TransportStats', () => {
  it('reads the transport metrics: what the consumer and the relay reported', async () => {
    const fake = new FakeSqsClient();
    const server = new SqsServer({ client: fake.asClient(), queues: [{ url: 'http://fake/q' }] });
    const store = { claim: () => Promise.resolve([]) } as unknown as OutboxStore;
    const relay = new OutboxRelay({ store, client: fake.asClient() }).events;
    const events = server.consumer.events;
    const stats = new TransportStats(new TransportMetrics().observeConsumer(events).observeRelay(relay));
    const base: MessageEventBase = {
      queueUrl: 'http://sqs/q',
      messageId: 'm',
      eventType: 't',
      groupId: undefined,
      receiveCount: 1,
      eventId: 'e',
      correlationId: 'c',
      traceId: undefined,
      sentAt: undefined,
    };
    events.emit('received', base);
    events.emit('processed', { ...base, durationMs: 1, duplicate: false });
    events.emit('processed', { ...base, durationMs: 1, duplicate: true });
    events.emit('failed', { ...base, durationMs: 1, error: new Error('x'), retryable: true, outage: false });
    events.emit('retried', { ...base, delaySeconds: 1, reason: 'failed' });
    events.emit('failed', { ...base, durationMs: 1, error: new Error('db'), retryable: true, outage: true });
    events.emit('polling-paused', { error: new Error('db') });
    events.emit('held', { ...base, attempt: 1, delayMs: 500, error: new Error('db') });
    const duringOutage = await stats.snapshot();
    events.emit('dead-lettered', { ...base, deadLetterQueueUrl: 'd', errorCode: 'X', reason: 'x' });
    events.emit('lease-lost', { ...base, error: new Error('gone') });
    relay.emit('sent', { ids: ['a', 'b'], queue: 'q', durationMs: 1 });
    relay.emit('parked', { id: 'c', queue: 'q', error: new Error('x'), attempts: 10 });
    events.emit('polling-resumed', { durationMs: 900 });
    expect(duringOutage.pollingPaused).toBe(true);
    expect(await stats.snapshot()).toEqual({
      received: 1,
      processed: 2,
      duplicates: 1,
      failed: 2,
      retried: 1,
      heldForOutage: 1,
      pollingPaused: false,
      deadLettered: 1,
      leasesLost: 1,
      outboxSent: 2,
      outboxParked: 1,
    });
  });
});
