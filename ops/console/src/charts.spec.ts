import { describe, expect, it } from '@jest/globals';
import { ChartSampler } from './charts.js';
import type { OrderTimeline } from './timeline.js';

const settledAt = (iso: string, endToEndMs: number): OrderTimeline => ({
  id: iso,
  status: 'SHIPPED',
  customerId: 'c',
  placedAt: iso,
  steps: [],
  endToEndMs,
  settledAt: iso,
});

describe('ChartSampler', () => {
  it('turns counters into rates and settled orders into mean latency, per point', async () => {
    let now = Date.parse('2026-01-01T10:00:00.000Z');
    let processed = 10;
    const timelines: OrderTimeline[] = [settledAt('2026-01-01T09:59:00.000Z', 9_000)]; // settled before the start
    const sampler = new ChartSampler({
      services: { order: 'http://order', shipping: 'http://shipping' },
      timelines: async () => timelines,
      now: () => now,
      fetchText: async (url) =>
        url.startsWith('http://order')
          ? `sqs_consumer_messages_processed_total{queue="q",type="t"} ${processed}\nsqs_consumer_message_age_seconds_sum 2\nsqs_consumer_message_age_seconds_count 4`
          : undefined, // shipping serves no metrics
    });

    expect(await sampler.sample()).toBeUndefined(); // the baseline
    now += 5_000;
    processed = 20;
    timelines.push(settledAt('2026-01-01T10:00:03.000Z', 1_000), settledAt('2026-01-01T10:00:04.000Z', 3_000));
    const point = await sampler.sample();

    expect(point).toEqual({
      at: '2026-01-01T10:00:05.000Z',
      processedPerSecond: { order: 2, shipping: null },
      meanMessageAgeMs: null, // the age counters did not move
      ordersSettled: 2,
      meanEndToEndMs: 2_000,
    });
    expect(sampler.samples()).toEqual([point]);

    now += 5_000; // the same orders again: counted once
    expect(await sampler.sample()).toMatchObject({ ordersSettled: 0, meanEndToEndMs: null });
  });
});
