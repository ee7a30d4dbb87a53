import type { z } from 'zod';
import { OrderCancelledV1, OrderPlacedV1 } from './order-events.js';
import type { QueueName } from './queues.js';
import { QUEUES } from './queues.js';
import {
  ShipmentCancelledV1,
  ShipmentCancelRejectedV1,
  ShipmentCreatedV1,
  ShipmentDispatchedV1,
  ShipmentLabelCreatedV1,
  ShipmentLabelRequestedV1,
} from './shipment-events.js';

/**
 * Every event type, its queue, and its payload schema per major version.
 *
 * Versioning: the envelope's `version` is the payload's major version. A minor
 * change only adds optional fields and keeps the version; consumers accept
 * payloads with fields they do not know (they are dropped on parsing). A
 * breaking change adds a new major version here, and producers send both until
 * every consumer reads the new one.
 */
export const EVENTS = {
  'order.placed': { queue: QUEUES.orderEvents, versions: { 1: OrderPlacedV1 } },
  'order.cancelled': { queue: QUEUES.orderEvents, versions: { 1: OrderCancelledV1 } },
  'shipment.created': { queue: QUEUES.shipmentEvents, versions: { 1: ShipmentCreatedV1 } },
  'shipment.label_requested': { queue: QUEUES.shippingLabels, versions: { 1: ShipmentLabelRequestedV1 } },
  'shipment.label_created': { queue: QUEUES.shipmentEvents, versions: { 1: ShipmentLabelCreatedV1 } },
  'shipment.dispatched': { queue: QUEUES.shipmentEvents, versions: { 1: ShipmentDispatchedV1 } },
  'shipment.cancelled': { queue: QUEUES.shipmentEvents, versions: { 1: ShipmentCancelledV1 } },
  'shipment.cancel_rejected': { queue: QUEUES.shipmentEvents, versions: { 1: ShipmentCancelRejectedV1 } },
} as const satisfies Record<string, { queue: QueueName; versions: Record<number, z.ZodType> }>;

export type EventType = keyof typeof EVENTS;

/** The payload type of the latest version (v1 today) of each event. */
export type EventPayload<T extends EventType> = z.infer<(typeof EVENTS)[T]['versions'][1]>;

export const EVENT_TYPES = Object.keys(EVENTS) as EventType[];

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENTS, type);
}

export type PayloadCheck<T> = { ok: true; value: T } | { ok: false; issues: string[] };

/**
 * Validates a payload against its type's schema for `version`. Issues name the
 * field path, e.g. `items.0.quantity: Too small: expected number to be >=1`.
 */
export function checkPayload<T extends EventType>(
  type: T,
  version: number,
  payload: unknown,
): PayloadCheck<EventPayload<T>>;
export function checkPayload(type: string, version: number, payload: unknown): PayloadCheck<unknown>;
export function checkPayload(type: string, version: number, payload: unknown): PayloadCheck<unknown> {
  if (!isEventType(type)) return { ok: false, issues: [`unknown event type "${type}"`] };
  const versions = EVENTS[type].versions as Record<number, z.ZodType>;
  const schema = versions[version];
  if (!schema) {
    return { ok: false, issues: [`"${type}" has no version ${version} (known: ${Object.keys(versions).join(', ')})`] };
  }
  const result = schema.safeParse(payload);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    issues: result.error.issues.map(
      (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(payload)'}: ${issue.message}`,
    ),
  };
}
