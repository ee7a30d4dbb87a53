import { Inject, Injectable } from '@nestjs/common';
import { ApiError, PRISMA_CLIENT } from '@sqsref/service-kit';
import type { ShippingPrisma } from '../prisma.js';
import type { ShipmentView } from './shipment.schemas.js';
import { toShipmentView } from './shipment-view.js';

/** Shipments as the HTTP API reads them (the controller reaches the database only through this service). */
@Injectable()
export class ShipmentsService {
  constructor(@Inject(PRISMA_CLIENT) private readonly prisma: ShippingPrisma) {}

  /** The order's shipments: at most one, since a shipment's order id is unique. */
  async byOrder(orderId: string): Promise<ShipmentView[]> {
    const shipments = await this.prisma.shipment.findMany({ where: { orderId } });
    return shipments.map(toShipmentView);
  }

  /** One shipment; a 404 `SHIPMENT_NOT_FOUND` when there is none. */
  async get(id: string): Promise<ShipmentView> {
    const shipment = await this.prisma.shipment.findUnique({ where: { id } });
    if (!shipment) throw new ApiError(404, 'SHIPMENT_NOT_FOUND', `No shipment ${id}.`);
    return toShipmentView(shipment);
  }
}
