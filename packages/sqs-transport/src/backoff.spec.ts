import { describe, expect, it } from '@jest/globals';
import { Backoff } from './backoff.js';
import type { Clock } from './clock.js';

const noRandom = (): number => {
  throw new Error('a backoff without jitter draws no random number');
};

describe('Backoff', () => {
  it('starts at baseMs after the first failure and doubles per failure, up to maxMs', () => {
    const backoff = new Backoff({ baseMs: 100, maxMs: 5_000 }, { random: noRandom });
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => backoff.delayMs(attempt))).toEqual([
      100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000,
    ]);
  });

  it('treats attempts below 1 as the first, and stays finite for any attempt without a cap', () => {
    const backoff = new Backoff({ baseMs: 100 });
    expect(backoff.delayMs(0)).toBe(100);
    expect(backoff.delayMs(1.7)).toBe(100);
    expect(backoff.delayMs(20)).toBe(100 * 2 ** 19);
    expect(Number.isFinite(backoff.delayMs(1_000_000))).toBe(true);
  });

  it('draws the jitter share of each delay from the injected random source, the rest fixed', () => {
    const draw = (random: number, jitter: number): number =>
      new Backoff({ baseMs: 1_000, maxMs: 10_000, jitter }, { random: () => random }).delayMs(2);
    expect(draw(0, 0.5)).toBe(1_000);
    expect(draw(0.5, 0.5)).toBe(1_500);
    expect(draw(0.999_9, 0.5)).toBe(2_000);
    expect(draw(0, 1)).toBe(0);
    expect(draw(0.25, 1)).toBe(500);
  });

  it('gives whole milliseconds', () => {
    const backoff = new Backoff({ baseMs: 200, maxMs: 1_000, jitter: 0.5 }, { random: () => 0.333 });
    expect([1, 2, 3, 4].map((attempt) => backoff.delayMs(attempt))).toEqual([133, 267, 533, 667]);
  });

  it("waits on the injected clock's sleep, passing the signal", async () => {
    const slept: number[] = [];
    const clock: Clock = {
      now: () => 0,
      sleep: (ms, signal) => {
        slept.push(ms);
        expect(signal).toBeInstanceOf(AbortSignal);
        return Promise.resolve();
      },
    };
    const backoff = new Backoff({ baseMs: 50, maxMs: 150 }, { clock });
    for (const attempt of [1, 2, 3]) await backoff.wait(attempt);
    await backoff.wait(4, new AbortController().signal);
    expect(slept).toEqual([50, 100, 150, 150]);
  });

  it('without a clock sleep, waits on a timer that an abort ends at once', async () => {
    const backoff = new Backoff({ baseMs: 60_000 }, { clock: { now: () => 0 } });
    const stop = new AbortController();
    const waiting = backoff.wait(1, stop.signal);
    stop.abort();
    await expect(waiting).resolves.toBeUndefined();
  });
});
