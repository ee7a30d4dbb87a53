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

/** A poller on `send`, whose backoff waits are recorded (each yields to the event loop, so it never starves the test). */
function pollerOn(send: () => Promise<unknown>): {
  poller: Poller;
  slept: number[];
  errors: Array<ConsumerEvents['error']>;
} {
  const slept: number[] = [];
  const clock: Clock = {
    now: () => 0,
    sleep: (ms) => {
      slept.push(ms);
      return new Promise((resolve) => setImmediate(resolve));
    },
  };
  const events = new ConsumerEventBus();
  const errors: Array<ConsumerEvents['error']> = [];
  events.on('error', (event) => errors.push(event));
  const open = { paused: false, whenOpen: () => Promise.resolve() };
  const poller = new Poller(
    { send } as unknown as SQSClient,
    queue,
    new WorkPool(10, 10, () => undefined),
    { waitTimeSeconds: 20 },
    clock,
    events,
    () => undefined,
    open,
  );
  return { poller, slept, errors };
}

describe('Poller', () => {
  it('backs off failed receives from 100 ms, doubling to 5 s, on the injected clock', async () => {
    const down = new Error('connect ECONNREFUSED');
    const { poller, slept, errors } = pollerOn(() => Promise.reject(down));
    const stop = new AbortController();

    poller.start(stop.signal);
    await waitFor(() => slept.length >= 8, { description: 'eight backoffs' });
    stop.abort();
    await poller.stopped();

    expect(slept.slice(0, 8)).toEqual([100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000]);
    expect(errors[0]).toEqual({ operation: 'receive', queueUrl: queue.url, error: down });
  });

  it('starts the backoff over after a receive that succeeded, and does not wait after one', async () => {
    // Three failures, one empty receive, then failures again.
    const outcomes = [false, false, false, true];
    let receives = 0;
    const { poller, slept } = pollerOn(() => {
      const ok = outcomes[receives] ?? false;
      receives += 1;
      return ok ? Promise.resolve({ Messages: [] }) : Promise.reject(new Error('throttled'));
    });
    const stop = new AbortController();

    poller.start(stop.signal);
    await waitFor(() => slept.length >= 5, { description: 'five backoffs' });
    stop.abort();
    await poller.stopped();

    expect(slept.slice(0, 5)).toEqual([100, 200, 400, 100, 200]);
  });
});
