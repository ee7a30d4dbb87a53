import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEnvelope, createPipeline, EventSender, NonRetryableError, SqsConsumer } from '@sqsref/sqs-transport';
import type { SqsEmulator } from '@sqsref/sqs-transport/testing';
import { HandlerSpy, startSqsEmulator, waitFor } from '@sqsref/sqs-transport/testing';
import { metricValue, parseMetrics } from '../testing/metrics-text.js';
import { ServiceMetrics } from './service-metrics.js';

describe('GET /metrics shows what happened (fauxqs, parsed as exposition format)', () => {
  let sqs: SqsEmulator;
  beforeAll(async () => {
    sqs = await startSqsEmulator();
  });
  afterAll(async () => {
    await sqs.stop();
  });

  it('counts N processed, M retried and K dead-lettered under the right labels', async () => {
    const [N, M, K] = [5, 2, 3];
    const queues = await sqs.createQueues({
      queues: [{ name: 'metrics-q.fifo', deadLetter: { name: 'metrics-q-dlq.fifo', maxReceiveCount: 5 } }],
    });
    const queueUrl = queues.get('metrics-q.fifo')?.url ?? '';
    const metrics = new ServiceMetrics();
    const attempts = new Map<string, number>();
    const succeeded = new HandlerSpy<string>();
    const consumer = new SqsConsumer(
      {
        client: sqs.client,
        queues: [{ url: queueUrl, waitTimeSeconds: 1 }],
        retry: { baseDelaySeconds: 0, jitter: 0 },
      },
      createPipeline(() => ({
        handle: async ({ envelope }) => {
          const { note } = envelope.payload as { note: string };
          const attempt = (attempts.get(envelope.id) ?? 0) + 1;
          attempts.set(envelope.id, attempt);
          if (note === 'refuse') throw new NonRetryableError('never');
          if (note === 'flaky' && attempt === 1) throw new Error('not yet');
          succeeded.record(envelope.id);
        },
      })),
    );
    metrics.transport.observeConsumer(consumer.events).observeQueueDepth(sqs.client, () => consumer.resolvedQueues);
    await consumer.start();
    const sender = new EventSender({ client: sqs.client, routes: { '*': queueUrl } });
    try {
      const send = (type: string, note: string, n: number): Promise<unknown> =>
        Promise.all(
          Array.from({ length: n }, (_, i) =>
            sender.emit(createEnvelope({ type, payload: { note } }), { groupId: `${note}-${i}` }),
          ),
        );
      await send('thing.ok', 'ok', N);
      await send('thing.flaky', 'flaky', M);
      await send('thing.refused', 'refuse', K);
      await succeeded.waitForCalls(N + M, 20_000);
      const exposition = async () => parseMetrics(await metrics.exposition());
      await waitFor(async () => metricValue(await exposition(), 'sqs_consumer_messages_dead_lettered_total') === K);

      const parsed = await exposition();
      const queue = 'metrics-q.fifo';
      expect(metricValue(parsed, 'sqs_consumer_messages_processed_total', { queue, type: 'thing.ok' })).toBe(N);
      expect(metricValue(parsed, 'sqs_consumer_messages_processed_total', { queue, type: 'thing.flaky' })).toBe(M);
      expect(metricValue(parsed, 'sqs_consumer_messages_processed_total', { queue, type: 'thing.refused' })).toBe(0);
      expect(metricValue(parsed, 'sqs_consumer_messages_retried_total', { queue, type: 'thing.flaky' })).toBe(M);
      expect(metricValue(parsed, 'sqs_consumer_messages_retried_total')).toBe(M);
      expect(
        metricValue(parsed, 'sqs_consumer_messages_dead_lettered_total', {
          queue,
          type: 'thing.refused',
          reason: 'NON_RETRYABLE',
        }),
      ).toBe(K);
      expect(metricValue(parsed, 'sqs_consumer_messages_failed_total', { queue, code: 'Error' })).toBe(M);
      expect(metricValue(parsed, 'sqs_consumer_messages_failed_total', { queue, code: 'NON_RETRYABLE' })).toBe(K);
      expect(metricValue(parsed, 'sqs_consumer_messages_received_total', { queue })).toBe(N + 2 * M + K);
      // Histograms observe every handler run: N + 2M + K (their counts read from the registry, see parseMetrics).
      expect(parsed.get('sqs_consumer_handler_duration_seconds')?.type).toBe('HISTOGRAM');
      expect(parsed.get('sqs_consumer_message_age_seconds')?.type).toBe('HISTOGRAM');
      const runs = async (histogram: typeof metrics.transport.handlerDuration): Promise<number> =>
        (await histogram.get()).values
          .filter((sample) => sample.metricName?.endsWith('_count') && sample.labels.queue === queue)
          .reduce((sum, sample) => sum + sample.value, 0);
      expect(await runs(metrics.transport.handlerDuration)).toBe(N + 2 * M + K);
      expect(await runs(metrics.transport.messageAge)).toBe(N + 2 * M + K);
      expect(metricValue(parsed, 'sqs_queue_messages', { queue: 'metrics-q-dlq.fifo', state: 'visible' })).toBe(K);
      // /stats reads the same counters.
      expect(await metrics.transport.totals()).toMatchObject({ processed: N + M, retried: M, deadLettered: K });
      expect(parsed.has('process_cpu_user_seconds_total')).toBe(true);
      expect(parsed.has('nodejs_eventloop_lag_seconds')).toBe(true);
    } finally {
      await consumer.stop();
      await sender.close();
    }
  });
});
