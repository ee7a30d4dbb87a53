import { describe, expect, it } from '@jest/globals';
import { errorCode, isRetryable } from '@sqsref/sqs-transport';
import { OrderNotYetKnownError } from './errors.js';

describe('OrderNotYetKnownError', () => {
  it('has its own code, not the HTTP 404 ORDER_NOT_FOUND, and is retried', () => {
    const error = new OrderNotYetKnownError('order-1');
    expect(errorCode(error)).toBe('ORDER_NOT_YET_KNOWN');
    expect(isRetryable(error)).toBe(true);
    expect(error.message).toContain('order-1');
  });
});
