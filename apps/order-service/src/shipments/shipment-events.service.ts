import { Injectable } from '@nestjs/common';
import type { EventPayload } from '@sqsref/contracts';
import { InjectPinoLogger, PinoLogger } from '@sqsref/service-kit';
import type { Envelope } from '@sqsref/sqs-transport';
import { NonRetryableError } from '@sqsref/sqs-transport';
import { lockOrder } from '../orders/orders.service.js';
import type { ShipmentEventType } from '../orders/order-state.js';
import { applyShipmentEvent } from '../orders/order-state.js';
import type { OrderTx } from '../prisma.js';
import { OrderNotYetKnownError } from './errors.js';

type ShipmentPayload = EventPayload<ShipmentEventType>;

/** When the event says it happened, from whichever timestamp its payload carries. */
function occurredAt(payload: ShipmentPayload): Date {
  const value =
    'createdAt' in payload
      ? payload.createdAt
      : 'dispatchedAt' in payload
        ? payload.dispatchedAt
        : 'cancelledAt' in payload
          ? payload.cancelledAt
          : payload.rejectedAt;
  return new Date(value);
}

/**
 * Applies shipping's events to orders, inside the inbox transaction of the handler (so the inbox row, the order
 * and its history commit together, once per event id). The order's row is locked first, so an HTTP cancel and an
 * event never interleave.
 */
@Injectable()
export class ShipmentEventsService {
  constructor(@InjectPinoLogger(ShipmentEventsService.name) private readonly logger: PinoLogger) {}

  async apply(type: ShipmentEventType, payload: ShipmentPayload, envelope: Envelope, tx: OrderTx): Promise<void> {
    const order = await lockOrder(tx, payload.orderId);
    if (!order) throw new OrderNotYetKnownError(payload.orderId);
    if (order.shipmentId !== null && order.shipmentId !== payload.shipmentId) {
      throw new NonRetryableError(
        `order ${order.id}: ${type} is for shipment ${payload.shipmentId}, but the order's shipment is ${order.shipmentId}`,
      );
    }
    const next = applyShipmentEvent(
      { status: order.status, shipmentStatus: order.shipmentStatus, cancelRequested: order.cancelRequestedAt !== null },
      type,
    );
    if (!next.ok) {
      throw new NonRetryableError(`order ${order.id}: cannot apply ${type} in status ${order.status}: ${next.reason}`);
    }
    await tx.order.update({
      where: { id: order.id },
      data: {
        status: next.status,
        shipmentStatus: next.shipmentStatus,
        shipmentId: payload.shipmentId,
        ...('trackingNumber' in payload ? { carrier: payload.carrier, trackingNumber: payload.trackingNumber } : {}),
      },
    });
    await tx.orderHistory.create({
      data: {
        orderId: order.id,
        type,
        status: next.status,
        eventId: envelope.id,
        occurredAt: occurredAt(payload),
        ...('reason' in payload ? { detail: { reason: payload.reason } } : {}),
      },
    });
    this.logger.info({ orderId: order.id, from: order.status, to: next.status }, `applied ${type}`);
  }
}
