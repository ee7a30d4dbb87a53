import { describe, expect, it } from '@jest/globals';
import {
  classifySqsError,
  EndpointUnreachableError,
  NoCredentialsError,
  NoSuchMessageError,
  UnknownQueueError,
} from './dlq-errors.js';

describe('classifySqsError', () => {
  const context = { endpoint: 'http://127.0.0.1:1', queue: 'jobs-dlq' };

  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    [
      'an aggregate of them',
      Object.assign(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })])),
    ],
    ['a wrapped one', new Error('AWS SDK error wrapper for Error: getaddrinfo ENOTFOUND sqs.nowhere')],
    ['a timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
  ])('%s: ENDPOINT_UNREACHABLE, naming the endpoint', (_, error) => {
    const classified = classifySqsError(error, context);
    expect(classified).toBeInstanceOf(EndpointUnreachableError);
    expect((classified as Error).message).toContain('Cannot reach SQS at http://127.0.0.1:1');
    expect((classified as Error).cause).toBe(error);
  });

  it('missing credentials and a missing queue get their own codes; anything else is returned as it is', () => {
    expect(
      classifySqsError(Object.assign(new Error('x'), { name: 'CredentialsProviderError' }), context),
    ).toBeInstanceOf(NoCredentialsError);
    const missing = classifySqsError(Object.assign(new Error('x'), { name: 'QueueDoesNotExist' }), context);
    expect(missing).toBeInstanceOf(UnknownQueueError);
    expect((missing as UnknownQueueError).code).toBe('UNKNOWN_QUEUE');
    const other = Object.assign(new Error('denied'), { name: 'AccessDenied' });
    expect(classifySqsError(other, context)).toBe(other);
    const own = new NoSuchMessageError(['m'], 'q');
    expect(classifySqsError(own, context)).toBe(own);
  });
});
