import { describe, expect, it } from '@jest/globals';
import { ConsumerEventBus } from '../events.js';
import type { MessageEventBase } from '../events.js';
import { RelayEventBus } from '../outbox/relay-events.js';
import { TransportMetrics } from './transport-metrics.js';

const base: MessageEventBase = {
  queueUrl: 'http://sqs/000/orders.fifo',
  messageId: 'm',
  eventType: 'order.placed',
  groupId: 'g',
  receiveCount: 1,
  eventId: 'e',
  correlationId: 'c',
  traceId: undefined,
  sentAt: undefined,
};

const sampleValue = async (metrics: TransportMetrics, name: string): Promise<number | undefined> =>
  (await metrics.registry.getSingleMetric(name)?.get())?.values[0]?.value;

describe('TransportMetrics', () => {
  it('labels by queue name and event type, folding types past 100 distinct values into "other"', async () => {
    const events = new ConsumerEventBus();
    const metrics = new TransportMetrics().observeConsumer(events);
    for (let i = 0; i < 105; i += 1) {
      events.emit('processed', { ...base, eventType: `made-up.${i}`, durationMs: 1, duplicate: false });
    }
    const types = (await metrics.processed.get()).values.map((sample) => sample.labels.type);
    expect(new Set(types).size).toBe(101);
    expect((await metrics.processed.get()).values.find((sample) => sample.labels.type === 'other')?.value).toBe(5);
    expect((await metrics.processed.get()).values[0]?.labels.queue).toBe('orders.fifo');
  });

  it('reads the outbox backlog at scrape time, one query for both gauges', async () => {
    let queries = 0;
    const oldest = new Date(Date.now() - 30_000);
    const metrics = new TransportMetrics().observeRelay(new RelayEventBus(), async () => {
      queries += 1;
      return { rows: 7, oldestCreatedAt: oldest };
    });
    await metrics.registry.metrics();
    expect(queries).toBe(1);
    expect(await sampleValue(metrics, 'sqs_outbox_backlog_rows')).toBe(7);
    expect(await sampleValue(metrics, 'sqs_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(30);
  });

  it('does not let a store that never answers stall the scrape', async () => {
    const metrics = new TransportMetrics().observeRelay(new RelayEventBus(), () => new Promise(() => undefined));
    const started = Date.now();
    await metrics.registry.metrics();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
