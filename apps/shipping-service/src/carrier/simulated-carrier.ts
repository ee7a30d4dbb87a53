import { randomInt } from 'node:crypto';
import type { Carrier, Label, LabelRequest } from './carrier.js';
import { CarrierCallAbortedError, CarrierUnavailableError } from './carrier.js';

/** Where the simulated carrier keeps the labels it sold (the `carrier_labels` table). */
export interface LabelLedger {
  /** Records a sale for the key, or returns the label already sold for it. */
  sell(idempotencyKey: string, label: Label): Promise<Label>;
}

export interface SimulatedCarrierOptions {
  /** How long each call takes, in ms (`LABEL_JOB_MS`). */
  durationMs: number;
  /** Share of calls that fail without selling (`LABEL_FAILURE_RATE`), 0 to 1. */
  failureRate: number;
  /** Fault injection (`FAULT_SLOW_LABEL_RATE`): share of calls that take `slowMs` longer, 0 to 1. Default 0. */
  slowRate?: number;
  /** The extra time of a slowed call, in ms (`FAULT_SLOW_LABEL_MS`). Default 0. */
  slowMs?: number;
  /** Default `Math.random`; tests inject their own. */
  random?: () => number;
  /** Default `SIMCARRIER`. */
  name?: string;
}

/**
 * A stand-in for a carrier's label API: each call takes `durationMs` (a slow external call that regularly
 * outlives the queue's visibility timeout), fails with probability `failureRate`, and otherwise sells a label.
 * Like a real carrier API it honours an idempotency key: a second call with the same key gets the label sold the
 * first time, never a second one. Aborting the signal ends the call at once, with nothing sold.
 */
export class SimulatedCarrier implements Carrier {
  private readonly random: () => number;
  private readonly name: string;

  constructor(
    private readonly ledger: LabelLedger,
    private readonly options: SimulatedCarrierOptions,
  ) {
    this.random = options.random ?? Math.random;
    this.name = options.name ?? 'SIMCARRIER';
  }

  async buyLabel(request: LabelRequest): Promise<Label> {
    const slowed = (this.options.slowRate ?? 0) > 0 && this.random() < (this.options.slowRate ?? 0);
    await wait(this.options.durationMs + (slowed ? (this.options.slowMs ?? 0) : 0), request.signal);
    if (this.random() < this.options.failureRate) throw new CarrierUnavailableError();
    const trackingNumber = `${this.name.slice(0, 3)}${Date.now().toString(36).toUpperCase()}${randomInt(1e9).toString().padStart(9, '0')}`;
    return this.ledger.sell(request.idempotencyKey, { carrier: this.name, trackingNumber });
  }
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CarrierCallAbortedError(signal.reason));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CarrierCallAbortedError(signal.reason));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
