import { describe, expect, it } from '@jest/globals';
import { sumMetric } from './prometheus-text.js';

const TEXT = [
  '# HELP sqs_consumer_messages_processed_total Messages handled and acked.',
  '# TYPE sqs_consumer_messages_processed_total counter',
  'sqs_consumer_messages_processed_total{queue="order-events.fifo",type="order.placed"} 7',
  'sqs_consumer_messages_processed_total{queue="order-events.fifo",type="order.cancelled"} 2',
  'sqs_consumer_messages_processed_total_created{queue="order-events.fifo"} 1700000000',
  'sqs_consumer_message_age_seconds_sum{queue="a",type="b"} 1.5',
  'sqs_consumer_message_age_seconds_count 3',
].join('\n');

describe('sumMetric', () => {
  it('adds up every label set of a metric, and only that metric', () => {
    expect(sumMetric(TEXT, 'sqs_consumer_messages_processed_total')).toBe(9);
    expect(sumMetric(TEXT, 'sqs_consumer_message_age_seconds_sum')).toBe(1.5);
    expect(sumMetric(TEXT, 'sqs_consumer_message_age_seconds_count')).toBe(3);
  });

  it('is undefined for a metric the text does not have', () => {
    expect(sumMetric(TEXT, 'sqs_consumer_messages_failed_total')).toBeUndefined();
    expect(sumMetric('', 'x')).toBeUndefined();
  });
});
