import { describe, expect, it } from '@jest/globals';
import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { lastValueFrom, NEVER, of } from 'rxjs';
import { RequestDeadlineInterceptor } from './request-deadline.interceptor.js';
import { ServiceUnavailableError } from './service-unavailable.js';

const context = (type: 'http' | 'rpc') => ({ getType: () => type }) as unknown as ExecutionContext;
const handler = (result: ReturnType<CallHandler['handle']>): CallHandler => ({ handle: () => result });

describe('RequestDeadlineInterceptor', () => {
  it('answers 503 DEPENDENCY_TIMEOUT with Retry-After when the handler misses the deadline', async () => {
    const interceptor = new RequestDeadlineInterceptor(30);
    const error = await lastValueFrom(interceptor.intercept(context('http'), handler(NEVER))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ code: 'DEPENDENCY_TIMEOUT', retryAfterSeconds: 1 });
    expect((error as ServiceUnavailableError).getStatus()).toBe(503);
  });

  it('passes an answer given in time through', async () => {
    const interceptor = new RequestDeadlineInterceptor(5_000);
    await expect(lastValueFrom(interceptor.intercept(context('http'), handler(of('done'))))).resolves.toBe('done');
  });

  it('leaves SQS handlers alone', () => {
    const stream = NEVER;
    expect(new RequestDeadlineInterceptor(1).intercept(context('rpc'), handler(stream))).toBe(stream);
  });
});
