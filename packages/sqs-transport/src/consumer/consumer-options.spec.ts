import { describe, expect, it } from '@jest/globals';
import { systemClock } from '../clock.js';
import { InvalidOptionError } from '../errors.js';
import type { SqsConsumerOptions, SqsQueueOptions } from './consumer-options.js';
import { DEFAULT_OUTAGE_RETRY, heartbeatIntervalMs, resolveConsumerOptions } from './consumer-options.js';

const url = 'http://127.0.0.1:4566/000000000000/orders';
const withQueue = (queue: SqsQueueOptions, rest: Partial<SqsConsumerOptions> = {}): SqsConsumerOptions => ({
  queues: [queue],
  ...rest,
});
const expectInvalid = (options: SqsConsumerOptions, option: string, message: string): void => {
  expect(() => resolveConsumerOptions(options)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', option }));
  expect(() => resolveConsumerOptions(options)).toThrow(message);
};

describe('resolveConsumerOptions', () => {
  it('applies every default', () => {
    const resolved = resolveConsumerOptions({ queues: [{ url }] });
    expect(resolved.isDependencyOutage(new Error('x'))).toBe(false);
    expect(resolved).toEqual({
      queues: [{ url, pollers: 2, waitTimeSeconds: 20, visibilityTimeoutSeconds: undefined }],
      concurrency: 50,
      prefetch: 10,
      heartbeatIntervalMs: undefined,
      maxProcessingMs: 3_600_000,
      retry: {},
      isDependencyOutage: resolved.isDependencyOutage,
      outageRetry: { baseDelaySeconds: 1, maxDelaySeconds: 30, jitter: 0.5 },
      shutdownTimeoutMs: 30_000,
      ackFlushIntervalMs: 0,
      ackMaxAttempts: 5,
      clock: systemClock,
      random: Math.random,
    });
  });

  it('keeps valid values, including the range limits', () => {
    const clock = { now: () => 1 };
    const random = (): number => 0.5;
    const isDependencyOutage = (error: Error): boolean => error.message === 'db down';
    const resolved = resolveConsumerOptions({
      queues: [
        {
          name: 'orders.fifo',
          pollers: 50,
          waitTimeSeconds: 0,
          visibilityTimeoutSeconds: 43_200,
          deadLetterQueueUrl: `${url}-dlq`,
        },
        { url, pollers: 1, waitTimeSeconds: 20, visibilityTimeoutSeconds: 1 },
      ],
      concurrency: 10_000,
      prefetch: 0,
      heartbeatIntervalMs: 10,
      maxProcessingMs: 43_200_000,
      retry: { baseDelaySeconds: 2 },
      isDependencyOutage,
      outageRetry: { maxDelaySeconds: 5 },
      shutdownTimeoutMs: 0,
      ackFlushIntervalMs: 1_000,
      ackMaxAttempts: 20,
      clock,
      random,
    });
    expect(resolved.queues[0]).toEqual({
      name: 'orders.fifo',
      pollers: 50,
      waitTimeSeconds: 0,
      visibilityTimeoutSeconds: 43_200,
      deadLetterQueueUrl: `${url}-dlq`,
    });
    expect(resolved.queues[1]).toMatchObject({ pollers: 1, waitTimeSeconds: 20, visibilityTimeoutSeconds: 1 });
    expect(resolved).toMatchObject({
      concurrency: 10_000,
      prefetch: 0,
      heartbeatIntervalMs: 10,
      maxProcessingMs: 43_200_000,
      retry: { baseDelaySeconds: 2 },
      shutdownTimeoutMs: 0,
      ackFlushIntervalMs: 1_000,
      ackMaxAttempts: 20,
    });
    expect(resolved.clock).toBe(clock);
    expect(resolved.random).toBe(random);
    expect(resolved.isDependencyOutage).toBe(isDependencyOutage);
    expect(resolved.outageRetry).toEqual({ ...DEFAULT_OUTAGE_RETRY, maxDelaySeconds: 5 });
  });

  it.each([
    ['missing', undefined],
    ['empty', []],
  ])('requires at least one queue (%s)', (_, queues) => {
    expectInvalid(
      { queues } as unknown as SqsConsumerOptions,
      'queues',
      'Invalid option "queues": must list at least one queue ({ url } or { name })',
    );
  });

  it.each([
    ['both url and name', { url, name: 'orders' }],
    ['neither url nor name', { pollers: 1 }],
  ])('requires exactly one of url and name (%s)', (_, queue) => {
    expectInvalid(
      { queues: [{ url }, queue] },
      'queues[1]',
      'Invalid option "queues[1]": must have exactly one of "url" and "name"',
    );
  });

  it.each<[string, SqsQueueOptions, string, string]>([
    ['a url that is not http(s)', { url: 'localhost:4566/q' }, 'queues[0].url', 'must be an http(s) URL'],
    ['an empty name', { name: ' ' }, 'queues[0].name', 'must be a non-empty string'],
    ['a bad DLQ url', { url, deadLetterQueueUrl: 'dlq' }, 'queues[0].deadLetterQueueUrl', 'must be an http(s) URL'],
    ['0 pollers', { url, pollers: 0 }, 'queues[0].pollers', 'must be an integer from 1 to 50'],
    ['51 pollers', { url, pollers: 51 }, 'queues[0].pollers', 'must be an integer from 1 to 50'],
    ['fractional pollers', { url, pollers: 1.5 }, 'queues[0].pollers', 'must be an integer from 1 to 50'],
    [
      'waitTimeSeconds 21',
      { url, waitTimeSeconds: 21 },
      'queues[0].waitTimeSeconds',
      'must be an integer from 0 to 20',
    ],
    [
      'waitTimeSeconds -1',
      { url, waitTimeSeconds: -1 },
      'queues[0].waitTimeSeconds',
      'must be an integer from 0 to 20',
    ],
    [
      'visibility 0',
      { url, visibilityTimeoutSeconds: 0 },
      'queues[0].visibilityTimeoutSeconds',
      'must be an integer from 1 to 43200',
    ],
    [
      'visibility over 12 h',
      { url, visibilityTimeoutSeconds: 43_201 },
      'queues[0].visibilityTimeoutSeconds',
      'must be an integer from 1 to 43200',
    ],
  ])('rejects %s, naming the queue option', (_, queue, option, requirement) => {
    expectInvalid(withQueue(queue), option, `Invalid option "${option}": ${requirement}`);
  });

  it.each<[string, Partial<SqsConsumerOptions>, string]>([
    ['concurrency', { concurrency: 0 }, 'must be an integer from 1 to 10000'],
    ['concurrency', { concurrency: 10_001 }, 'must be an integer from 1 to 10000'],
    ['prefetch', { prefetch: -1 }, 'must be an integer from 0 to 10000'],
    ['prefetch', { prefetch: 10_001 }, 'must be an integer from 0 to 10000'],
    ['heartbeatIntervalMs', { heartbeatIntervalMs: 9 }, 'must be an integer from 10 to 21600000'],
    ['heartbeatIntervalMs', { heartbeatIntervalMs: 21_600_001 }, 'must be an integer from 10 to 21600000'],
    ['heartbeatIntervalMs', { heartbeatIntervalMs: 0.2 }, 'must be an integer from 10 to 21600000'],
    ['maxProcessingMs', { maxProcessingMs: 999 }, 'must be a number from 1000 to 43200000'],
    ['maxProcessingMs', { maxProcessingMs: 43_200_001 }, 'must be a number from 1000 to 43200000'],
    ['shutdownTimeoutMs', { shutdownTimeoutMs: -1 }, 'must be an integer from 0 to 3600000'],
    ['shutdownTimeoutMs', { shutdownTimeoutMs: 3_600_001 }, 'must be an integer from 0 to 3600000'],
    ['shutdownTimeoutMs', { shutdownTimeoutMs: 1.5 }, 'must be an integer from 0 to 3600000'],
    ['ackFlushIntervalMs', { ackFlushIntervalMs: 1_001 }, 'must be an integer from 0 to 1000'],
    ['ackMaxAttempts', { ackMaxAttempts: 0 }, 'must be an integer from 1 to 20'],
    ['ackMaxAttempts', { ackMaxAttempts: 21 }, 'must be an integer from 1 to 20'],
    ['random', { random: 0.3 as unknown as () => number }, 'must be a function'],
    ['isDependencyOutage', { isDependencyOutage: true as unknown as () => boolean }, 'must be a function'],
  ])('rejects an out-of-range %s (%p)', (option, rest, requirement) => {
    expectInvalid(withQueue({ url }, rest), option, `Invalid option "${option}": ${requirement}`);
  });

  it('names the replacement of an option that was renamed to milliseconds', () => {
    const old = { heartbeatIntervalSeconds: 5 } as unknown as Partial<SqsConsumerOptions>;
    expectInvalid(
      withQueue({ url }, old),
      'heartbeatIntervalSeconds',
      'Invalid option "heartbeatIntervalSeconds": was renamed; use heartbeatIntervalMs (milliseconds: multiply by 1000) (received 5).',
    );
    const oldMax = { maxProcessingSeconds: 60 } as unknown as Partial<SqsConsumerOptions>;
    expect(() => resolveConsumerOptions(withQueue({ url }, oldMax))).toThrow('use maxProcessingMs');
  });

  it('says what it received', () => {
    expect(() => resolveConsumerOptions(withQueue({ url }, { concurrency: '8' as unknown as number }))).toThrow(
      '(received "8")',
    );
    expect(() => resolveConsumerOptions(withQueue({ url }, { concurrency: 0 }))).toThrow(InvalidOptionError);
  });
});

describe('heartbeatIntervalMs', () => {
  it('defaults to a third of the smallest visibility timeout', () => {
    expect(heartbeatIntervalMs(undefined, 30)).toBe(10_000);
    expect(heartbeatIntervalMs(undefined, 1)).toBe(333);
    expect(heartbeatIntervalMs(undefined, 43_200)).toBe(30_000);
  });

  it('uses the configured interval, in ms', () => {
    expect(heartbeatIntervalMs(5_000, 30)).toBe(5_000);
    expect(heartbeatIntervalMs(200, 2)).toBe(200);
    expect(heartbeatIntervalMs(14_900, 30)).toBe(14_900);
  });

  it('rejects an interval of half the smallest visibility timeout or more', () => {
    for (const ms of [15_000, 20_000]) {
      expect(() => heartbeatIntervalMs(ms, 30)).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION', option: 'heartbeatIntervalMs' }),
      );
    }
    expect(() => heartbeatIntervalMs(1_000, 2)).toThrow(
      'Invalid option "heartbeatIntervalMs": must be less than half the smallest visibility timeout (2 s), so every message is extended before it expires (received 1000).',
    );
  });
});
