import { describe, expect, it } from '@jest/globals';
import type { Label } from './carrier.js';
import { CarrierCallAbortedError, CarrierUnavailableError } from './carrier.js';
import type { LabelLedger } from './simulated-carrier.js';
import { SimulatedCarrier } from './simulated-carrier.js';

/** The ledger's contract in memory: one label per key. */
class MemoryLedger implements LabelLedger {
  readonly sold = new Map<string, Label>();
  calls = 0;
  async sell(key: string, label: Label): Promise<Label> {
    this.calls += 1;
    const existing = this.sold.get(key);
    if (existing) return existing;
    this.sold.set(key, label);
    return label;
  }
}

const address = { name: 'Ada', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' };
const request = (key: string, signal = new AbortController().signal) => ({ idempotencyKey: key, address, signal });

describe('SimulatedCarrier', () => {
  it('sells one label per idempotency key, answering a repeated key with the same label', async () => {
    const ledger = new MemoryLedger();
    const carrier = new SimulatedCarrier(ledger, { durationMs: 0, failureRate: 0 });
    const first = await carrier.buyLabel(request('shipment-1'));
    const again = await carrier.buyLabel(request('shipment-1'));
    const other = await carrier.buyLabel(request('shipment-2'));
    expect(first).toMatchObject({ carrier: 'SIMCARRIER', trackingNumber: expect.stringMatching(/^SIM[0-9A-Z]+$/) });
    expect(again).toEqual(first);
    expect(other.trackingNumber).not.toBe(first.trackingNumber);
    expect(ledger.sold.size).toBe(2);
  });

  it('fails at the configured rate without selling anything', async () => {
    const ledger = new MemoryLedger();
    const draws = [0.05, 0.5];
    const carrier = new SimulatedCarrier(ledger, { durationMs: 0, failureRate: 0.1, random: () => draws.shift() ?? 1 });
    await expect(carrier.buyLabel(request('s'))).rejects.toBeInstanceOf(CarrierUnavailableError);
    expect(ledger.calls).toBe(0);
    await expect(carrier.buyLabel(request('s'))).resolves.toBeDefined();
    expect(ledger.calls).toBe(1);
  });

  it('slows the drawn share of calls by slowMs (fault injection), the others not', async () => {
    const ledger = new MemoryLedger();
    const draws = [0.2, 0.9]; // the first call is drawn (< 0.5), the second not
    const carrier = new SimulatedCarrier(ledger, {
      durationMs: 0,
      failureRate: 0,
      slowRate: 0.5,
      slowMs: 60_000,
      random: () => draws.shift() ?? 1,
    });
    const controller = new AbortController();
    const slowed = carrier.buyLabel(request('slow', controller.signal));
    await expect(carrier.buyLabel(request('fast'))).resolves.toBeDefined();
    controller.abort();
    // Still waiting when the fast call was done: the abort ends it, with nothing sold.
    await expect(slowed).rejects.toBeInstanceOf(CarrierCallAbortedError);
    expect([...ledger.sold.keys()]).toEqual(['fast']);
  });

  it('stops at once when aborted, without selling', async () => {
    const ledger = new MemoryLedger();
    const carrier = new SimulatedCarrier(ledger, { durationMs: 60_000, failureRate: 0 });
    const controller = new AbortController();
    const started = Date.now();
    const call = carrier.buyLabel(request('s', controller.signal));
    controller.abort(new Error('lease lost'));
    await expect(call).rejects.toBeInstanceOf(CarrierCallAbortedError);
    await expect(call).rejects.toThrow('lease lost');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(ledger.calls).toBe(0);
  });
});
