import { z } from 'zod';
import { text } from './text.js';

export const OrderItem = z.object({
  sku: text({ min: 1, max: 64 }),
  quantity: z.number().int().min(1).max(1_000),
});

export const ShippingAddress = z.object({
  name: text({ min: 1, max: 200 }),
  line1: text({ min: 1, max: 200 }),
  line2: text({ min: 0, max: 200 }).optional(),
  city: text({ min: 1, max: 100 }),
  postalCode: text({ min: 1, max: 20 }),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code, e.g. "DE"'),
});

/** `order.placed` v1: an order was accepted. Starts the shipping flow. */
export const OrderPlacedV1 = z.object({
  orderId: z.string().uuid(),
  customerId: text({ min: 1, max: 100 }),
  items: z.array(OrderItem).min(1).max(100),
  shippingAddress: ShippingAddress,
  placedAt: z.string().datetime(),
});

/** `order.cancelled` v1: the customer cancelled. Shipping cancels the shipment unless it was dispatched. */
export const OrderCancelledV1 = z.object({
  orderId: z.string().uuid(),
  reason: text({ min: 0, max: 500 }).optional(),
  cancelledAt: z.string().datetime(),
});

export type OrderItem = z.infer<typeof OrderItem>;
export type ShippingAddress = z.infer<typeof ShippingAddress>;
export type OrderPlacedV1 = z.infer<typeof OrderPlacedV1>;
export type OrderCancelledV1 = z.infer<typeof OrderCancelledV1>;
