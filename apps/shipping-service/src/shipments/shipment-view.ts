import type { Shipment } from '../prisma.js';
import type { ShipmentView } from './shipment.schemas.js';

export function toShipmentView(shipment: Shipment): ShipmentView {
  return {
    id: shipment.id,
    orderId: shipment.orderId,
    status: shipment.status,
    customerId: shipment.customerId,
    items: shipment.items as ShipmentView['items'],
    shippingAddress: shipment.shippingAddress as ShipmentView['shippingAddress'],
    label:
      shipment.carrier && shipment.trackingNumber
        ? {
            carrier: shipment.carrier,
            trackingNumber: shipment.trackingNumber,
            voided: shipment.labelVoidedAt !== null,
          }
        : null,
    createdAt: shipment.createdAt.toISOString(),
    dispatchedAt: shipment.dispatchedAt?.toISOString() ?? null,
    cancelledAt: shipment.cancelledAt?.toISOString() ?? null,
  };
}
