import { describe, expect, it } from '@jest/globals';
import { errorCode, isRetryable } from '@sqsref/sqs-transport';
import { ShipmentNotYetKnownError } from './errors.js';

describe('ShipmentNotYetKnownError', () => {
  it('has its own code, not the HTTP 404 SHIPMENT_NOT_FOUND, and is retried', () => {
    const error = new ShipmentNotYetKnownError('order-1');
    expect(errorCode(error)).toBe('SHIPMENT_NOT_YET_KNOWN');
    expect(isRetryable(error)).toBe(true);
    expect(error.message).toContain('order-1');
  });
});
