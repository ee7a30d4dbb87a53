import { randomUUID } from 'node:crypto';
import { InvalidEnvelopeError, InvalidJsonError } from '../errors.js';

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

/**
 * Parses and validates a message body as an envelope.
 * Throws {@link InvalidJsonError} or {@link InvalidEnvelopeError}; both are non-retryable.
 */
export function parseEnvelope(body: string | undefined): Envelope {
  let value: unknown;
  try {
    value = JSON.parse(body ?? '');
  } catch (error) {
    throw new InvalidJsonError(error);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidEnvelopeError(['the body must be a JSON object']);
  }
  const candidate = value as Record<string, unknown>;
  const problems: string[] = [];
  requireString(candidate, 'id', problems);
  requireString(candidate, 'type', problems);
  requireString(candidate, 'occurredAt', problems);
  if (!Number.isInteger(candidate.version) || (candidate.version as number) < 1) {
    problems.push('"version" must be an integer >= 1');
  }
  if (!('payload' in candidate)) problems.push('"payload" is missing');
  if (candidate.correlationId !== undefined && typeof candidate.correlationId !== 'string') {
    problems.push('"correlationId" must be a string');
  }
  if (
    candidate.causationId !== undefined &&
    candidate.causationId !== null &&
    typeof candidate.causationId !== 'string'
  ) {
    problems.push('"causationId" must be a string or null');
  }
  if (problems.length > 0) throw new InvalidEnvelopeError(problems);
  return {
    id: candidate.id as string,
    type: candidate.type as string,
    version: candidate.version as number,
    occurredAt: candidate.occurredAt as string,
    correlationId: (candidate.correlationId as string | undefined) ?? (candidate.id as string),
    causationId: (candidate.causationId as string | null | undefined) ?? null,
    payload: candidate.payload,
  };
}

function requireString(candidate: Record<string, unknown>, field: string, problems: string[]): void {
  const value = candidate[field];
  if (typeof value !== 'string' || value.length === 0) problems.push(`"${field}" must be a non-empty string`);
}
