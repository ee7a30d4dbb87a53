import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { OrderCancelledV1, OrderPlacedV1 } from '@sqsref/contracts';
import { causedBy, contractEvent, InjectPinoLogger, PinoLogger } from '@sqsref/service-kit';
import { addManyToOutbox, addToOutbox } from '@sqsref/sqs-prisma';
import type { Envelope } from '@sqsref/sqs-transport';
import type { ShippingTx } from '../prisma.js';
import { ShipmentNotYetKnownError } from './errors.js';

/**
 * Shipping's side of the order events, inside the inbox transaction of each handler (the inbox row, the shipment
 * and the outbox rows commit together, once per event id).
 */
@Injectable()
export class OrderEventsService {
  constructor(@InjectPinoLogger(OrderEventsService.name) private readonly logger: PinoLogger) {}

  /**
   * Creates the order's one shipment, and in the same transaction emits `shipment.created` and asks for the label
   * (`shipment.label_requested` on shipping's own queue). An order that has a shipment already (the same order
   * placed under another event id) gets nothing new: the unique order id guards it even under a race.
   */
  async placed(order: OrderPlacedV1, envelope: Envelope, tx: ShippingTx): Promise<void> {
    const existing = await tx.shipment.findUnique({ where: { orderId: order.orderId } });
    if (existing) {
      this.logger.warn(
        { orderId: order.orderId, shipmentId: existing.id },
        'order already has a shipment; nothing to do',
      );
      return;
    }
    const now = new Date();
    const shipment = await tx.shipment.create({
      data: {
        id: randomUUID(),
        orderId: order.orderId,
        status: 'CREATED',
        customerId: order.customerId,
        items: order.items,
        shippingAddress: order.shippingAddress,
        correlationId: envelope.correlationId,
        createdAt: now,
      },
    });
    const ref = { shipmentId: shipment.id, orderId: order.orderId };
    await addManyToOutbox(tx, [
      contractEvent('shipment.created', { ...ref, createdAt: now.toISOString() }, causedBy(envelope)),
      contractEvent('shipment.label_requested', { ...ref, requestedAt: now.toISOString() }, causedBy(envelope)),
    ]);
    this.logger.info(ref, 'shipment created; label requested');
  }

  /**
   * Cancels the shipment unless it was dispatched, and says which happened: `shipment.cancelled` or
   * `shipment.cancel_rejected` (`already_dispatched`). The shipment's row is locked, so the label job and a
   * cancellation never interleave: whichever commits first wins, and the other sees it.
   */
  async cancelled(cancellation: OrderCancelledV1, envelope: Envelope, tx: ShippingTx): Promise<void> {
    await tx.$queryRaw`SELECT 1 FROM shipments WHERE order_id = ${cancellation.orderId}::uuid FOR UPDATE`;
    const shipment = await tx.shipment.findUnique({ where: { orderId: cancellation.orderId } });
    if (!shipment) throw new ShipmentNotYetKnownError(cancellation.orderId);
    const ref = { shipmentId: shipment.id, orderId: shipment.orderId };
    const now = new Date();
    switch (shipment.status) {
      case 'CANCELLED':
        this.logger.warn(ref, 'shipment already cancelled; nothing to do');
        return;
      case 'DISPATCHED':
        await addToOutbox(
          tx,
          contractEvent(
            'shipment.cancel_rejected',
            { ...ref, reason: 'already_dispatched', rejectedAt: now.toISOString() },
            causedBy(envelope),
          ),
        );
        this.logger.info(ref, 'cancellation rejected: already dispatched');
        return;
      default:
        await tx.shipment.update({ where: { id: shipment.id }, data: { status: 'CANCELLED', cancelledAt: now } });
        await addToOutbox(
          tx,
          contractEvent('shipment.cancelled', { ...ref, cancelledAt: now.toISOString() }, causedBy(envelope)),
        );
        this.logger.info(ref, 'shipment cancelled');
    }
  }
}
