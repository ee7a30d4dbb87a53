import type { EventPayload, EventType } from '@sqsref/contracts';
import { checkPayload, EVENTS } from '@sqsref/contracts';
import type { OutboxEntry } from '@sqsref/sqs-prisma';
import type { Envelope } from '@sqsref/sqs-transport';
import { createEnvelope } from '@sqsref/sqs-transport';

/**
 * An outbox entry for an event shipping emits, caused by `cause`: checked against its contract (a bug here fails
 * the handler instead of dead-lettering at the consumer), routed to its queue, grouped by order id, and carrying
 * the cause's correlation id.
 */
export function shippingEvent<T extends EventType>(
  type: T,
  payload: EventPayload<T> & { orderId: string },
  cause: Pick<Envelope, 'id' | 'correlationId'>,
): OutboxEntry {
  const check = checkPayload(type, 1, payload);
  if (!check.ok) throw new Error(`shipping built an invalid ${type}: ${check.issues.join('; ')}`);
  return {
    queue: EVENTS[type].queue,
    groupId: payload.orderId,
    envelope: createEnvelope({ type, payload: check.value, correlationId: cause.correlationId, causationId: cause.id }),
  };
}
