import { z } from 'zod';
import { text } from './text.js';

const ShipmentRef = {
  shipmentId: z.string().uuid(),
  orderId: z.string().uuid(),
};

/** `shipment.created` v1: shipping accepted the order; exactly one per order. */
export const ShipmentCreatedV1 = z.object({ ...ShipmentRef, createdAt: z.string().datetime() });

/**
 * `shipment.label_requested` v1: shipping-internal command on `shipping-labels.fifo`, written with the shipment in
 * one transaction; its consumer buys the label (the slow carrier call) in lease mode.
 */
export const ShipmentLabelRequestedV1 = z.object({ ...ShipmentRef, requestedAt: z.string().datetime() });

/** `shipment.label_created` v1: the carrier sold a label (the slow job). */
export const ShipmentLabelCreatedV1 = z.object({
  ...ShipmentRef,
  carrier: text({ min: 1, max: 50 }),
  trackingNumber: text({ min: 1, max: 100 }),
  createdAt: z.string().datetime(),
});

/** `shipment.dispatched` v1: the parcel left; the order can no longer be cancelled. */
export const ShipmentDispatchedV1 = z.object({ ...ShipmentRef, dispatchedAt: z.string().datetime() });

/** `shipment.cancelled` v1: shipping cancelled the shipment after `order.cancelled`. */
export const ShipmentCancelledV1 = z.object({ ...ShipmentRef, cancelledAt: z.string().datetime() });

/** `shipment.cancel_rejected` v1: the order was cancelled too late; the shipment stands. */
export const ShipmentCancelRejectedV1 = z.object({
  ...ShipmentRef,
  reason: z.enum(['already_dispatched']),
  rejectedAt: z.string().datetime(),
});

export type ShipmentCreatedV1 = z.infer<typeof ShipmentCreatedV1>;
export type ShipmentLabelRequestedV1 = z.infer<typeof ShipmentLabelRequestedV1>;
export type ShipmentLabelCreatedV1 = z.infer<typeof ShipmentLabelCreatedV1>;
export type ShipmentDispatchedV1 = z.infer<typeof ShipmentDispatchedV1>;
export type ShipmentCancelledV1 = z.infer<typeof ShipmentCancelledV1>;
export type ShipmentCancelRejectedV1 = z.infer<typeof ShipmentCancelRejectedV1>;
