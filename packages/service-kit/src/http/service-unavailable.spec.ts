import { describe, expect, it } from '@jest/globals';
import { DatabaseTimeoutError } from '@sqsref/sqs-prisma';
import { DependencyUnavailableError } from '@sqsref/sqs-transport';
import { asServiceUnavailable, retryAfterSeconds, ServiceUnavailableError } from './service-unavailable.js';

describe('asServiceUnavailable', () => {
  it('maps database failures (unavailable or out of time) to DATABASE_UNAVAILABLE, keeping the cause', () => {
    const cause = new DatabaseTimeoutError(3_000);
    const error = asServiceUnavailable(cause, 5);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ code: 'DATABASE_UNAVAILABLE', retryAfterSeconds: 5, cause });
    const statementTimeout = Object.assign(new Error('canceling statement due to statement timeout'), {
      code: '57014',
      severity: 'ERROR',
    });
    expect(asServiceUnavailable(statementTimeout, 5)?.code).toBe('DATABASE_UNAVAILABLE');
  });

  it("maps the transport's DependencyUnavailableError to DEPENDENCY_UNAVAILABLE", () => {
    expect(asServiceUnavailable(new DependencyUnavailableError('the carrier'), 2)).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      retryAfterSeconds: 2,
    });
  });

  it('leaves every other error alone', () => {
    expect(asServiceUnavailable(new Error('boom'), 5)).toBeUndefined();
    expect(asServiceUnavailable(Object.assign(new Error('dup'), { code: 'P2002' }), 5)).toBeUndefined();
  });
});

describe('retryAfterSeconds', () => {
  it('is the bound in whole seconds, at least 1', () => {
    expect(retryAfterSeconds(5_000)).toBe(5);
    expect(retryAfterSeconds(1_200)).toBe(2);
    expect(retryAfterSeconds(100)).toBe(1);
  });
});
