import { describe, expect, it } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { InvalidOptionError } from '@sqsref/sqs-transport';
import { RateLimiter, rateLimitGuard, TooManyRequestsError } from './rate-limit.js';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('RateLimiter', () => {
  it('allows `limit` requests per client per window, then says how long to wait', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ limit: 2, windowMs: 60_000, now: clock.now });
    expect(limiter.take('a')).toEqual({ allowed: true, retryAfterSeconds: 0 });
    clock.advance(10_000);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 50 });
    expect(limiter.take('b').allowed).toBe(true);
    clock.advance(49_500);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock.advance(500);
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('remembers at most maxClients: expired windows go first, then the oldest', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ limit: 1, windowMs: 1_000, maxClients: 2, now: clock.now });
    limiter.take('a');
    clock.advance(600);
    limiter.take('b');
    clock.advance(600); // a's window has ended, b's has not
    limiter.take('c');
    expect(limiter.size).toBe(2);
    expect(limiter.take('b').allowed).toBe(false); // b kept
    limiter.take('d'); // full of live windows: the oldest (b) goes
    expect(limiter.size).toBe(2);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('refuses a limit, window or size below 1, naming it', () => {
    expect(() => new RateLimiter({ limit: 0, windowMs: 1 })).toThrow(InvalidOptionError);
    expect(() => new RateLimiter({ limit: 1, windowMs: 1.5 })).toThrow('Invalid option "windowMs"');
    expect(() => new RateLimiter({ limit: 1, windowMs: 1, maxClients: 0 })).toThrow('Invalid option "maxClients"');
  });
});

describe('rateLimitGuard', () => {
  function exchange(ip: string) {
    const headers: Record<string, string> = {};
    const context = {
      getType: () => 'http',
      switchToHttp: () => ({
        getRequest: () => ({ ip }),
        getResponse: () => ({ setHeader: (name: string, value: string) => (headers[name] = value) }),
      }),
    } as unknown as ExecutionContext;
    return { context, headers };
  }

  it("limits each client address to the config's limit per minute, with Retry-After", () => {
    const clock = manualClock();
    const Guard = rateLimitGuard((config: { LIMIT: number }) => config.LIMIT, clock.now);
    const guard = new Guard({ LIMIT: 1 });
    expect(guard.canActivate(exchange('203.0.113.1').context)).toBe(true);
    const refused = exchange('203.0.113.1');
    expect(() => guard.canActivate(refused.context)).toThrow(TooManyRequestsError);
    expect(refused.headers).toEqual({ 'Retry-After': '60' });
    expect(guard.canActivate(exchange('203.0.113.2').context)).toBe(true);
  });

  it('is off when the limit is 0', () => {
    const guard = new (rateLimitGuard((config: { LIMIT: number }) => config.LIMIT))({ LIMIT: 0 });
    for (let i = 0; i < 100; i += 1) expect(guard.canActivate(exchange('203.0.113.1').context)).toBe(true);
  });
});
