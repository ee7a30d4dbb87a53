import type { Order, OrderHistory } from '../prisma.js';
import type { OrderView } from './order.schemas.js';

/** The API representation of an order and its history (rows in `seq` order). */
export function toOrderView(order: Order, history: readonly OrderHistory[]): OrderView {
  return {
    id: order.id,
    customerId: order.customerId,
    items: order.items as OrderView['items'],
    shippingAddress: order.shippingAddress as OrderView['shippingAddress'],
    status: order.status,
    shipment:
      order.shipmentId && order.shipmentStatus
        ? {
            id: order.shipmentId,
            status: order.shipmentStatus,
            carrier: order.carrier,
            trackingNumber: order.trackingNumber,
          }
        : null,
    cancellation: order.cancelRequestedAt
      ? { requestedAt: order.cancelRequestedAt.toISOString(), reason: order.cancelReason }
      : null,
    history: history.map((entry) => ({
      type: entry.type,
      status: entry.status,
      occurredAt: entry.occurredAt.toISOString(),
      eventId: entry.eventId,
    })),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}
