import { describe, expect, it } from '@jest/globals';
import type { Clock } from '../clock.js';
import type { ConsumerEvents } from '../events.js';
import { ConsumerEventBus } from '../events.js';
import { fifoQueueRuntime } from './queue-runtime.fixture.js';
import { HeldMessage } from './held-message.js';
import { OutageGate } from './outage-gate.js';
import { RetryPolicy } from './retry-policy.js';

/** Time that moves only when the test says so; sleeps end when it passes their end, or on abort. */
class ManualClock implements Clock {
  time = 1_000;
  private readonly sleeps = new Set<{ until: number; end: () => void }>();

  now = (): number => this.time;

  sleep = (ms: number, signal: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      const entry = {
        until: this.time + ms,
        end: () => {
          this.sleeps.delete(entry);
          resolve();
        },
      };
      this.sleeps.add(entry);
      if (signal.aborted) entry.end();
      signal.addEventListener('abort', entry.end, { once: true });
    });

  get sleeping(): number {
    return this.sleeps.size;
  }

  advance(ms: number): void {
    this.time += ms;
    for (const entry of [...this.sleeps]) if (entry.until <= this.time) entry.end();
  }
}

const queue = fifoQueueRuntime({ maxReceiveCount: 3 });

function held(id: string): HeldMessage {
  const message = new HeldMessage(queue, { MessageId: id, ReceiptHandle: `rh-${id}`, Attributes: {} }, 0);
  message.markOutage();
  return message;
}

/** Whether a promise has settled, after pending callbacks have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

function setup() {
  const clock = new ManualClock();
  const events = new ConsumerEventBus();
  const paused: Array<ConsumerEvents['polling-paused']> = [];
  const resumed: Array<ConsumerEvents['polling-resumed']> = [];
  events.on('polling-paused', (event) => paused.push(event));
  events.on('polling-resumed', (event) => resumed.push(event));
  // jitter 0.5 with random 0.5: each delay is 3/4 of the exponential one.
  const policy = new RetryPolicy({ baseDelaySeconds: 1, maxDelaySeconds: 30, jitter: 0.5 }, () => 0.5, 'outageRetry');
  const gate = new OutageGate(policy, clock, events);
  return { clock, gate, paused, resumed, never: new AbortController().signal };
}

const outage = new Error('database unavailable');

describe('OutageGate', () => {
  it('is open until a message is held; holding pauses polling once and backs off with the retry policy', () => {
    const { gate, paused } = setup();
    expect(gate.paused).toBe(false);

    const a = held('a');
    expect(gate.hold(a, 1, outage)).toBe(750);
    expect(gate.hold(a, 2, outage)).toBe(1_500);
    expect(gate.hold(held('b'), 6, outage)).toBe(22_500); // capped at 30 s before jitter
    expect(gate.paused).toBe(true);
    expect(gate.heldCount).toBe(2);
    expect(paused).toEqual([{ error: outage }]);
  });

  it('keeps pollers waiting while paused and lets them go when the last held message succeeded', async () => {
    const { clock, gate, resumed, never } = setup();
    await expect(gate.whenOpen(never)).resolves.toBeUndefined();

    const a = held('a');
    gate.hold(a, 1, outage);
    const poller = gate.whenOpen(never);
    expect(await settled(poller)).toBe(false);

    clock.advance(4_000);
    gate.succeeded(a);
    expect(await settled(poller)).toBe(true);
    expect(gate.paused).toBe(false);
    expect(resumed).toEqual([{ durationMs: 4_000 }]);
  });

  it('lets a waiting poller go when the consumer stops', async () => {
    const { gate } = setup();
    gate.hold(held('a'), 1, outage);
    const stop = new AbortController();
    const poller = gate.whenOpen(stop.signal);
    stop.abort();
    expect(await settled(poller)).toBe(true);
    expect(gate.paused).toBe(true);
  });

  it('runs a held message again once its backoff has passed on the injected clock', async () => {
    const { clock, gate, never } = setup();
    const a = held('a');
    const waited = gate.wait(a, gate.hold(a, 1, outage), never);
    clock.advance(749);
    expect(await settled(waited)).toBe(false);
    clock.advance(1);
    expect(await settled(waited)).toBe(true);
    expect(gate.paused).toBe(true); // still held until its handler succeeds or it leaves
  });

  it('runs every other held message at once when one succeeds (the dependency is back)', async () => {
    const { clock, gate, resumed, never } = setup();
    const [a, b, c] = [held('a'), held('b'), held('c')];
    const waits = [a, b, c].map((message) => gate.wait(message, gate.hold(message, 5, outage), never));
    expect(clock.sleeping).toBe(3);

    gate.succeeded(a);
    expect(await settled(waits[1] as Promise<void>)).toBe(true);
    expect(await settled(waits[2] as Promise<void>)).toBe(true);
    expect(gate.paused).toBe(true);
    expect(resumed).toEqual([]);

    gate.succeeded(b);
    gate.succeeded(c);
    expect(gate.paused).toBe(false);
    expect(resumed).toHaveLength(1);
  });

  it('backs off in full again after a wake-up when the handler fails once more', async () => {
    const { clock, gate, never } = setup();
    const [a, b] = [held('a'), held('b')];
    gate.hold(a, 1, outage);
    const first = gate.wait(b, gate.hold(b, 1, outage), never);
    gate.succeeded(a);
    await first;

    const second = gate.wait(b, gate.hold(b, 2, outage), never);
    clock.advance(1_499);
    expect(await settled(second)).toBe(false);
    clock.advance(1);
    expect(await settled(second)).toBe(true);
  });

  it('ends the wait and the hold when the message leaves (requeued at shutdown, retried, dead-lettered)', async () => {
    const { gate, resumed, never } = setup();
    const a = held('a');
    const waited = gate.wait(a, gate.hold(a, 1, outage), never);
    gate.leave(a);
    expect(await settled(waited)).toBe(true);
    expect(gate.paused).toBe(false);
    expect(resumed).toHaveLength(1);
    await expect(gate.wait(a, 1_000, never)).resolves.toBeUndefined(); // no longer held: no wait
  });

  it("ends the wait when the message's signal aborts (lease lost, maximum processing time)", async () => {
    const { gate } = setup();
    const a = held('a');
    const lease = new AbortController();
    const waited = gate.wait(a, gate.hold(a, 1, outage), lease.signal);
    lease.abort(new Error('lease lost'));
    expect(await settled(waited)).toBe(true);
    expect(gate.paused).toBe(true);
  });

  it('lists the held messages waiting for their retry, not those running it', () => {
    const { gate } = setup();
    const [a, b] = [held('a'), held('b')];
    gate.hold(a, 1, outage);
    gate.hold(b, 1, outage);
    b.markRunning();
    expect(gate.waiting).toEqual([a]);
  });

  it('ignores messages it does not hold', () => {
    const { gate, resumed } = setup();
    gate.succeeded(held('x'));
    gate.leave(held('y'));
    expect(gate.paused).toBe(false);
    expect(resumed).toEqual([]);
  });
});
