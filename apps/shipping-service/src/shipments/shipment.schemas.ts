import { OrderItem, ShippingAddress } from '@sqsref/contracts';
import { z } from 'zod';

/** The HTTP contract of the shipping service (read-only), as zod schemas that also build the OpenAPI document. */
export const ShipmentId = z.uuid();
export const ShipmentQuery = z.object({ orderId: z.uuid() }).meta({ id: 'ShipmentQuery' });
export type ShipmentQuery = z.infer<typeof ShipmentQuery>;

export const ShipmentView = z
  .object({
    id: z.uuid(),
    orderId: z.uuid(),
    status: z.enum(['CREATED', 'LABEL_CREATED', 'DISPATCHED', 'CANCELLED']),
    customerId: z.string(),
    items: z.array(OrderItem),
    shippingAddress: ShippingAddress,
    label: z
      .object({
        carrier: z.string(),
        trackingNumber: z.string(),
        voided: z.boolean().describe('Bought while the shipment was being cancelled: never used.'),
      })
      .nullable(),
    createdAt: z.iso.datetime(),
    dispatchedAt: z.iso.datetime().nullable(),
    cancelledAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Shipment' });
export type ShipmentView = z.infer<typeof ShipmentView>;

export const ErrorResponse = z
  .object({
    statusCode: z.number().int(),
    code: z.string().describe('Stable error code, e.g. VALIDATION_FAILED, SHIPMENT_NOT_FOUND.'),
    message: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Error' });
