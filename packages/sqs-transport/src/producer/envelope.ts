import { randomUUID } from 'node:crypto';

/**
 * The JSON body of every message. `id` is the producer's event id: stable
 * across resends and the consumer's idempotency key (never the SQS message id).
 */
export interface Envelope<TPayload = unknown> {
  /** The event id, chosen once by the producer (UUID). */
  id: string;
  /** The event type, e.g. `order.placed`. Also sent as the `type` message attribute. */
  type: string;
  /** The payload's schema version (major). Consumers accept newer minors with extra fields. */
  version: number;
  /** When the event happened, ISO 8601. */
  occurredAt: string;
  /** The id shared by every event of one business flow, for logs and traces. */
  correlationId: string;
  /** The id of the event that caused this one, if any. */
  causationId: string | null;
  payload: TPayload;
}

/** What a producer supplies; the rest of the envelope is filled in. */
export interface EnvelopeInput<TPayload = unknown> {
  type: string;
  payload: TPayload;
  /** Default 1. */
  version?: number;
  /** Default: a new UUID. Pass a stable id to make resends idempotent. */
  id?: string;
  /** Default: now. */
  occurredAt?: Date | string;
  /** Default: the causing event's correlation id, or else this event's id. */
  correlationId?: string;
  /** Default: null. */
  causationId?: string | null;
}

/** Builds a complete envelope, generating the id and timestamps that are not given. */
export function createEnvelope<TPayload>(input: EnvelopeInput<TPayload>): Envelope<TPayload> {
  const id = input.id ?? randomUUID();
  const occurredAt = input.occurredAt ?? new Date();
  return {
    id,
    type: input.type,
    version: input.version ?? 1,
    occurredAt: typeof occurredAt === 'string' ? occurredAt : occurredAt.toISOString(),
    correlationId: input.correlationId ?? id,
    causationId: input.causationId ?? null,
    payload: input.payload,
  };
}
