import { randomUUID } from 'node:crypto';
import { PayloadValidationError, UnknownEventTypeError } from '../errors.js';
import type { InboxStore } from '../inbox.js';
import type { Envelope } from '../producer/envelope.js';
import type { HandlerOutcome, MessageHandler } from './consumer.js';
import type { HeldMessage } from './held-message.js';
import type { InboxMode } from './idempotency.js';
import { runIdempotently } from './idempotency.js';

/** What `validatePayload` returns. */
export type PayloadValidation = { ok: true; value: unknown } | { ok: false; issues: string[] };

/** One message on its way to its handler, after decoding, validation and (for an idempotent route) the inbox. */
export interface Delivery {
  readonly message: HeldMessage;
  readonly envelope: Envelope;
  /** The event type: the `type` attribute, else the envelope's. */
  readonly eventType: string;
  /** The envelope's payload, as `validatePayload` returned it when set. */
  readonly payload: unknown;
  /** The inbox transaction client of a route in `transaction` mode; undefined otherwise. */
  readonly transaction: unknown;
}

/** Where the pipeline sends one event type. */
export interface PipelineRoute {
  /** Runs the handler. Resolve when done; throw to fail the message (see `MessageHandler`). */
  handle(delivery: Delivery): Promise<unknown>;
  /** Makes the route idempotent through the inbox (needs `PipelineOptions.inbox`). Default: not idempotent. */
  inbox?: InboxMode | undefined;
  /** Inbox consumer name. Default: `<name>:<event type>`. */
  consumer?: string | undefined;
}

/** Finds the route of an event type; undefined when there is none (the message fails with `UNKNOWN_EVENT_TYPE`). */
export type RouteLookup = (eventType: string) => PipelineRoute | undefined;

export interface PipelineOptions {
  /** Names this consumer in inbox keys and lease owners. Default `sqs`. */
  name?: string;
  /**
   * Inbox store for idempotent routes. Default: none. `SqsServer` refuses to listen when a handler declares `inbox`
   * without it; with `createPipeline` alone, such a route runs without the inbox.
   */
  inbox?: InboxStore<unknown> | undefined;
  /**
   * Checks each payload against its type's schema before the handler runs. A payload that fails goes to the DLQ at
   * once (`PAYLOAD_INVALID`, with the issues); a valid one reaches the handler as returned in `value`. Default: no check.
   */
  validatePayload?: ((envelope: Envelope) => PayloadValidation) | undefined;
}

/**
 * The message handler of the consumer core, without Nest: decode the envelope, find the route, validate the
 * payload, run the inbox (idempotency), call the route's handler. Unknown types, unparseable envelopes and invalid
 * payloads fail with non-retryable errors (the consumer dead-letters them).
 * Use: `new SqsConsumer(options, createPipeline(lookup, { inbox }))`.
 */
export function createPipeline(lookup: RouteLookup, options: PipelineOptions = {}): MessageHandler {
  const name = options.name ?? 'sqs';
  const owner = `${name}:${randomUUID()}`;
  const { inbox, validatePayload } = options;

  return async (message: HeldMessage): Promise<HandlerOutcome> => {
    const { envelope, eventType, route } = decode(message, lookup);
    const payload = validate(envelope, eventType, validatePayload);
    const deliver = (transaction: unknown): Promise<unknown> =>
      route.handle({ message, envelope, eventType, payload, transaction });

    if (route.inbox === undefined || !inbox) {
      await deliver(undefined);
      return {};
    }
    const key = { consumer: route.consumer ?? `${name}:${eventType}`, eventId: envelope.id };
    const run = await runIdempotently(inbox, route.inbox, key, message, owner, deliver);
    return { duplicate: run.duplicate };
  };
}

/**
 * Stage 1: the event type and its route, then the envelope. A `type` attribute with no route fails before the body
 * is parsed.
 */
function decode(
  message: HeldMessage,
  lookup: RouteLookup,
): { envelope: Envelope; eventType: string; route: PipelineRoute } {
  const attributeType = message.typeAttribute;
  const attributeRoute = attributeType === undefined ? undefined : lookup(attributeType);
  if (attributeType !== undefined && !attributeRoute) throw new UnknownEventTypeError(attributeType);
  const envelope = message.decodeEnvelope();
  const eventType = attributeType ?? envelope.type;
  const route = attributeRoute ?? lookup(eventType);
  if (!route) throw new UnknownEventTypeError(eventType);
  return { envelope, eventType, route };
}

/** Stage 2: the payload, checked by `validatePayload` when set. */
function validate(envelope: Envelope, eventType: string, validatePayload: PipelineOptions['validatePayload']): unknown {
  if (!validatePayload) return envelope.payload;
  const validation = validatePayload({ ...envelope, type: eventType });
  if (!validation.ok) throw new PayloadValidationError(eventType, validation.issues);
  return validation.value;
}
