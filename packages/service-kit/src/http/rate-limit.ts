import type { CanActivate, ExecutionContext, Type } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
import { InvalidOptionError } from '@sqsref/sqs-transport';
import { SERVICE_CONFIG } from '../bootstrap/tokens.js';
import { ApiError } from './api-error.js';

export interface RateLimiterOptions {
  /** Requests a client may make per window, at least 1. */
  limit: number;
  /** The window, in ms (at least 1). */
  windowMs: number;
  /** Clients remembered at most; past it, expired windows are dropped, then the oldest. Default 100,000. */
  maxClients?: number;
  /** The clock, in ms. Default `Date.now`. */
  now?: () => number;
}

/** The answer of {@link RateLimiter.take}. */
export interface RateLimitDecision {
  allowed: boolean;
  /** When refused: seconds until the client's window ends (at least 1). */
  retryAfterSeconds: number;
}

/**
 * A fixed-window request counter per client, in memory: a client's window starts with its first request and allows
 * `limit` requests. Memory is bounded by `maxClients`. One process's count: N processes allow N times the limit.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly maxClients: number;
  private readonly now: () => number;

  constructor(private readonly options: RateLimiterOptions) {
    for (const [name, value] of [
      ['limit', options.limit],
      ['windowMs', options.windowMs],
      ['maxClients', options.maxClients ?? 1],
    ] as const) {
      if (!Number.isInteger(value) || value < 1)
        throw new InvalidOptionError(name, 'must be an integer of at least 1', value);
    }
    this.maxClients = options.maxClients ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  /** Counts a request of `client`, and says whether it is allowed. */
  take(client: string): RateLimitDecision {
    const now = this.now();
    let window = this.windows.get(client);
    if (!window || now - window.start >= this.options.windowMs) {
      this.windows.delete(client);
      this.makeRoom(now);
      window = { start: now, count: 0 };
      this.windows.set(client, window);
    }
    window.count += 1;
    if (window.count <= this.options.limit) return { allowed: true, retryAfterSeconds: 0 };
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((window.start + this.options.windowMs - now) / 1000)),
    };
  }

  /** Clients currently remembered. */
  get size(): number {
    return this.windows.size;
  }

  private makeRoom(now: number): void {
    if (this.windows.size < this.maxClients) return;
    for (const [client, window] of this.windows) {
      if (now - window.start >= this.options.windowMs) this.windows.delete(client);
    }
    // Still full: forget the oldest windows (a Map keeps insertion order, and a new window is inserted last).
    for (const client of this.windows.keys()) {
      if (this.windows.size < this.maxClients) break;
      this.windows.delete(client);
    }
  }
}

/** 429: the client made more requests than its limit allows; `Retry-After` says when it may again. */
export class TooManyRequestsError extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      429,
      'TOO_MANY_REQUESTS',
      'Too many requests from this client; retry after the number of seconds in Retry-After.',
    );
  }
}

interface HttpExchange {
  ip?: string;
  socket?: { remoteAddress?: string };
}

/**
 * A guard class that limits each client (its address, `req.ip`: the connection's, or the one `TRUST_PROXY_HOPS`
 * proxies name) to `limitPerMinute(config)` requests per minute on the routes it guards (`@UseGuards(...)`), answering
 * {@link TooManyRequestsError} with `Retry-After` past it. A limit of 0 turns it off.
 */
export function rateLimitGuard<C>(limitPerMinute: (config: C) => number, now?: () => number): Type<CanActivate> {
  @Injectable()
  class RateLimitGuard implements CanActivate {
    private readonly limiter: RateLimiter | undefined;

    constructor(@Inject(SERVICE_CONFIG) config: C) {
      const limit = limitPerMinute(config);
      this.limiter = limit > 0 ? new RateLimiter({ limit, windowMs: 60_000, ...(now ? { now } : {}) }) : undefined;
    }

    canActivate(context: ExecutionContext): boolean {
      if (!this.limiter || context.getType() !== 'http') return true;
      const http = context.switchToHttp();
      const request = http.getRequest<HttpExchange>();
      const decision = this.limiter.take(request.ip ?? request.socket?.remoteAddress ?? 'unknown');
      if (decision.allowed) return true;
      http
        .getResponse<{ setHeader(name: string, value: string): unknown }>()
        .setHeader('Retry-After', String(decision.retryAfterSeconds));
      throw new TooManyRequestsError(decision.retryAfterSeconds);
    }
  }
  return RateLimitGuard;
}
