import { OrderItem, ShippingAddress, text } from '@sqsref/contracts';
import { z } from 'zod';

/**
 * The HTTP contract of the order service as zod schemas: they validate requests (`@Body({ schema })`) and
 * describe responses, and the OpenAPI document is built from the same schemas. Items and the address are the
 * event contract's own schemas, so an accepted order always makes a valid `order.placed`.
 */

export const CreateOrderBody = z
  .object({
    customerId: text({ min: 1, max: 100 }),
    items: z.array(OrderItem).min(1).max(100),
    shippingAddress: ShippingAddress,
  })
  .meta({ id: 'CreateOrder' });
export type CreateOrderBody = z.infer<typeof CreateOrderBody>;

export const CancelOrderBody = z
  .object({ reason: text({ min: 1, max: 500 }).optional() })
  .optional()
  .meta({ id: 'CancelOrder' });
export type CancelOrderBody = z.infer<typeof CancelOrderBody>;

export const OrderId = z.uuid();

/** The most orders one `GET /orders` returns, and how many it returns without `limit`. */
export const ORDER_LIST_MAX = 100;
export const ORDER_LIST_DEFAULT = 20;

/**
 * `GET /orders?limit=&before=`: the latest orders, a page at a time. No `.meta({ id })`: a named schema becomes a
 * `$ref`, which the OpenAPI document cannot expand into one query parameter per field.
 */
export const OrderListQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(ORDER_LIST_MAX)
    .default(ORDER_LIST_DEFAULT)
    .describe(`How many orders, 1 to ${ORDER_LIST_MAX}; default ${ORDER_LIST_DEFAULT}.`),
  before: OrderId.optional().describe(
    'The id of the last order of the previous page: the page continues with the orders placed before it.',
  ),
});
export type OrderListQuery = z.infer<typeof OrderListQuery>;

/** An `Idempotency-Key` header: 1 to 255 visible ASCII characters (a UUID is typical). */
export const IdempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 visible ASCII characters, e.g. a UUID')
  .optional();

const OrderStatusSchema = z.enum([
  'PENDING',
  'SHIPMENT_CREATED',
  'LABEL_CREATED',
  'SHIPPED',
  'CANCEL_REQUESTED',
  'CANCELLED',
]);

export const OrderView = z
  .object({
    id: z.uuid(),
    customerId: z.string(),
    items: z.array(OrderItem),
    shippingAddress: ShippingAddress,
    status: OrderStatusSchema,
    shipment: z
      .object({
        id: z.uuid(),
        status: z.enum(['CREATED', 'LABEL_CREATED', 'DISPATCHED', 'CANCELLED']),
        carrier: z.string().nullable(),
        trackingNumber: z.string().nullable(),
      })
      .nullable()
      .describe('The shipment as shipping last reported it; null until shipping has created it.'),
    cancellation: z
      .object({ requestedAt: z.iso.datetime(), reason: z.string().nullable() })
      .nullable()
      .describe('Set once a cancellation was accepted.'),
    history: z
      .array(
        z.object({
          type: z.string().describe('The event: order.placed, order.cancelled, shipment.created, ...'),
          status: OrderStatusSchema.describe('The order status after the event.'),
          occurredAt: z.iso.datetime(),
          eventId: z.string(),
        }),
      )
      .describe('What happened to the order, oldest first.'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Order' });
export type OrderView = z.infer<typeof OrderView>;

export const ErrorResponse = z
  .object({
    statusCode: z.number().int(),
    code: z.string().describe('Stable error code, e.g. VALIDATION_FAILED, ORDER_NOT_FOUND, ORDER_ALREADY_SHIPPED.'),
    message: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    status: OrderStatusSchema.optional().describe('The order status, on 409 responses.'),
  })
  .meta({ id: 'Error' });
