import { EventBus } from '../event-bus.js';

/** What the outbox relay reports. Durations in ms. */
export interface RelayEvents {
  /** SQS accepted these rows (emitted before they are marked sent: a crash here resends them, never loses them). */
  sent: { ids: string[]; queue: string; durationMs: number };
  /** Rows marked sent in the store. */
  marked: { ids: string[] };
  /** A row failed to send and will be retried at `retryAt`. */
  failed: { id: string; queue: string; error: Error; attempts: number; retryAt: Date };
  /** A row failed too often (or can never be sent) and is parked with its error. */
  parked: { id: string; queue: string; error: Error; attempts: number };
  /**
   * SQS accepted this row in the same `SendMessageBatch` call that refused `behind`, an earlier row of its group (SQS
   * answers each entry on its own). It is on the queue ahead of `behind`; the relay does not mark it sent and sends it
   * again, with the same deduplication id, after `behind`. The relay's checks before sending keep this from happening
   * for anything but a refusal on SQS's side; alert on it. `maxPerGroup: 1` rules it out.
   */
  overtook: { id: string; queue: string; behind: string };
  /** Sent rows older than the retention were deleted. */
  cleaned: { count: number };
  /**
   * A store call failed as a whole; the relay retries on its next pass. `operation`: `claim` (claiming rows), `mark`
   * (recording rows as sent or failed), `cleanup` (deleting old sent rows) or `wait` (waiting for new rows).
   */
  error: { operation: 'claim' | 'mark' | 'cleanup' | 'wait'; error: Error };
}

export type RelayEventName = keyof RelayEvents;

/** The outbox relay's events ({@link RelayEvents}); listener errors never stop the relay. */
export class RelayEventBus extends EventBus<RelayEvents> {}
