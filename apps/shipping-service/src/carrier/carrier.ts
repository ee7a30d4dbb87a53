import type { ShippingAddress } from '@sqsref/contracts';

/** A label the carrier sold. */
export interface Label {
  carrier: string;
  trackingNumber: string;
}

export interface LabelRequest {
  /**
   * The carrier sells at most one label per key and answers a repeated request with that label. The label job
   * sends the shipment id.
   */
  idempotencyKey: string;
  address: ShippingAddress;
  /** Aborts the call (lease lost, shutdown deadline). */
  signal: AbortSignal;
}

/** The carrier's label API, as the label job sees it. */
export interface Carrier {
  buyLabel(request: LabelRequest): Promise<Label>;
}

/** Injection token of the {@link Carrier}. */
export const CARRIER = Symbol('CARRIER');

/** The carrier did not sell the label this time (it is down, or timed out). Retryable. */
export class CarrierUnavailableError extends Error {
  readonly code = 'CARRIER_UNAVAILABLE';
  constructor(message = 'The carrier is unavailable; the label purchase will be retried.') {
    super(message);
    this.name = 'CarrierUnavailableError';
  }
}

/** The call was aborted before the carrier answered (nothing was sold). Retryable. */
export class CarrierCallAbortedError extends Error {
  readonly code = 'CARRIER_CALL_ABORTED';
  constructor(reason: unknown) {
    super(`The label purchase was aborted (${reason instanceof Error ? reason.message : String(reason)}).`, {
      cause: reason,
    });
    this.name = 'CarrierCallAbortedError';
  }
}
