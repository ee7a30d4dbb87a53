import { describe, expect, it } from '@jest/globals';
import { LeaseLostError } from '../errors.js';
import { Lease } from './lease.js';

describe('Lease', () => {
  it('records each extension and tells the listeners that are still subscribed', () => {
    const lease = new Lease(30_000);
    const told: string[] = [];
    const stopA = lease.onExtended(() => told.push('a'));
    lease.onExtended(() => told.push('b'));
    expect(lease.hasListeners).toBe(true);

    lease.extended(60_000);
    expect(lease.visibleUntil).toBe(60_000);
    stopA();
    lease.extended(90_000);
    expect(told).toEqual(['a', 'b', 'b']);
  });

  it('aborts its signal once, keeping the first reason', () => {
    const lease = new Lease(0);
    const first = new LeaseLostError('refused');
    lease.abort(first);
    lease.abort(new LeaseLostError('later'));
    expect(lease.signal.aborted).toBe(true);
    expect(lease.signal.reason).toBe(first);
  });
});
