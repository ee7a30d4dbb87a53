import { describe, expect, it } from '@jest/globals';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Clock } from '../clock.js';
import type { ConsumerEvents } from '../events.js';
import { ConsumerEventBus } from '../events.js';
import { waitFor } from '../testing/wait-for.js';
import type { QueueRuntime } from './queue-resolver.js';
import { Poller } from './poller.js';
import { WorkPool } from './work-pool.js';

const queue: QueueRuntime = {
  url: 'http://sqs.local/000000000000/jobs',
  name: 'jobs',
  fifo: false,
  visibilityTimeoutSeconds: 30,
  deadLetterQueueUrl: undefined,
  maxReceiveCount: undefined,
};

describe('Poller', () => {
  it('backs off failed receives from 100 ms, doubling to 5 s, on the injected clock', async () => {
    const slept: number[] = [];
    // Each wait yields to the event loop, so the loop never starves the test.
    const clock: Clock = {
      now: () => 0,
      sleep: (ms) => {
        slept.push(ms);
        return new Promise((resolve) => setImmediate(resolve));
      },
    };
    const down = new Error('connect ECONNREFUSED');
    const sqs = { send: () => Promise.reject(down) } as unknown as SQSClient;
    const events = new ConsumerEventBus();
    const errors: Array<ConsumerEvents['error']> = [];
    events.on('error', (event) => errors.push(event));
    const open = { paused: false, whenOpen: () => Promise.resolve() };
    const poller = new Poller(
      sqs,
      queue,
      new WorkPool(10, 10, () => undefined),
      { waitTimeSeconds: 20 },
      clock,
      events,
      () => undefined,
      open,
    );
    const stop = new AbortController();

    poller.start(stop.signal);
    await waitFor(() => slept.length >= 8, { description: 'eight backoffs' });
    stop.abort();
    await poller.stopped();

    expect(slept.slice(0, 8)).toEqual([100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000]);
    expect(errors[0]).toEqual({ operation: 'receive', queueUrl: queue.url, error: down });
  });
});
