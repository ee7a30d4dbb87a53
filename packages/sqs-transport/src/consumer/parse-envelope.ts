import { InvalidEnvelopeError, InvalidJsonError } from '../errors.js';
import type { Envelope } from '../producer/envelope.js';
import { SQS_INVALID_CHARACTER } from '../sqs-limits.js';

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
  // The envelope's ids travel on in attributes, logs and databases: a NUL or a lone surrogate there breaks the
  // handler's insert (retried until SQS's redrive takes the message, without a reason) or the next send.
  for (const field of ['id', 'type', 'occurredAt', 'correlationId', 'causationId']) {
    const value = candidate[field];
    if (typeof value === 'string' && SQS_INVALID_CHARACTER.test(value)) {
      problems.push(`"${field}" holds a character SQS does not allow (a control character or a lone surrogate)`);
    }
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
