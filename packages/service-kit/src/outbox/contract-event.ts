import type { EventPayload, EventType } from '@sqsref/contracts';
import { checkPayload, EVENTS } from '@sqsref/contracts';
import type { OutboxEntry } from '@sqsref/sqs-prisma';
import { createEnvelope } from '@sqsref/sqs-transport';
import { InvalidContractEventError } from '../errors.js';

/** Where an event comes from: the request or the event that caused it. */
export interface EventOrigin {
  /** The flow's correlation id (the HTTP request's, or the causing event's). */
  correlationId: string;
  /** The id of the event that caused this one; null or absent for events caused by an HTTP request. */
  causationId?: string | null;
  /** When it happened. Default: now. */
  occurredAt?: Date;
}

/**
 * The one way both services build the events they emit: an outbox entry for the contract's latest version of
 * `type`, its payload checked against the schema (a bug fails the request or the handler, in its transaction, instead
 * of dead-lettering at the consumer), routed to the event's queue and grouped by order id (every event of an order
 * keeps its order on the FIFO queues).
 */
export function contractEvent<T extends EventType>(
  type: T,
  payload: EventPayload<T> & { orderId: string },
  origin: EventOrigin,
): OutboxEntry & { envelope: { payload: EventPayload<T> } } {
  const check = checkPayload(type, 1, payload);
  if (!check.ok) throw new InvalidContractEventError(type, check.issues);
  return {
    queue: EVENTS[type].queue,
    groupId: payload.orderId,
    envelope: createEnvelope({
      type,
      payload: check.value as EventPayload<T>,
      correlationId: origin.correlationId,
      causationId: origin.causationId ?? null,
      ...(origin.occurredAt === undefined ? {} : { occurredAt: origin.occurredAt }),
    }),
  };
}

/** The origin of an event emitted in answer to `cause`: the same flow (correlation id), caused by it. */
export function causedBy(cause: { id: string; correlationId: string }): EventOrigin {
  return { correlationId: cause.correlationId, causationId: cause.id };
}
