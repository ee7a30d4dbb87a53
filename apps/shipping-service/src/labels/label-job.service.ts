import { Inject, Injectable } from '@nestjs/common';
import type { ShipmentLabelRequestedV1, ShippingAddress } from '@sqsref/contracts';
import { causedBy, contractEvent, InjectPinoLogger, PinoLogger, PRISMA_CLIENT } from '@sqsref/service-kit';
import { addManyToOutbox } from '@sqsref/sqs-prisma';
import type { Envelope } from '@sqsref/sqs-transport';
import { NonRetryableError } from '@sqsref/sqs-transport';
import type { Carrier, Label } from '../carrier/carrier.js';
import { CARRIER } from '../carrier/carrier.js';
import type { ShippingPrisma } from '../prisma.js';

/** What one run of the job did. */
export type LabelJobOutcome = 'purchased' | 'voided' | 'skipped';

export interface LabelJobRun {
  envelope: Envelope;
  receiveCount: number;
  /** The message's signal: fires when its lease is lost or shutdown's deadline passes. */
  signal: AbortSignal;
}

/**
 * The slow label job, run in lease mode by its handler (see LabelRequestsController):
 * 1. skip when the shipment was cancelled or already has its label;
 * 2. buy the label from the carrier, with the shipment id as idempotency key (seconds to minutes; the heartbeat
 *    keeps the message invisible and the lease alive meanwhile);
 * 3. in one transaction, with the shipment's row locked: record the label and dispatch the parcel, emitting
 *    `shipment.label_created` and `shipment.dispatched`; or, when a cancellation won the race during the call,
 *    void the label and emit nothing (the cancellation already said `shipment.cancelled`).
 */
@Injectable()
export class LabelJobService {
  constructor(
    @Inject(PRISMA_CLIENT) private readonly prisma: ShippingPrisma,
    @Inject(CARRIER) private readonly carrier: Carrier,
    @InjectPinoLogger(LabelJobService.name) private readonly logger: PinoLogger,
  ) {}

  async run(request: ShipmentLabelRequestedV1, run: LabelJobRun): Promise<LabelJobOutcome> {
    const shipment = await this.prisma.shipment.findUnique({ where: { id: request.shipmentId } });
    if (!shipment) {
      // The request is written in the shipment's own transaction: a missing shipment is a bug, not a delay.
      throw new NonRetryableError(`label requested for shipment ${request.shipmentId}, which does not exist`);
    }
    const ref = { shipmentId: shipment.id, orderId: shipment.orderId };
    if (shipment.status !== 'CREATED') {
      this.logger.info({ ...ref, status: shipment.status }, 'no label needed');
      return 'skipped';
    }

    const attempt = await this.prisma.labelAttempt.create({
      data: { shipmentId: shipment.id, eventId: run.envelope.id, receiveCount: run.receiveCount },
    });
    let label: Label;
    try {
      label = await this.carrier.buyLabel({
        idempotencyKey: shipment.id,
        address: shipment.shippingAddress as ShippingAddress,
        signal: run.signal,
      });
    } catch (error) {
      await this.finish(attempt.id, 'failed', error);
      throw error;
    }

    const outcome = await this.prisma.$transaction(async (tx): Promise<LabelJobOutcome> => {
      await tx.$queryRaw`SELECT 1 FROM shipments WHERE id = ${shipment.id}::uuid FOR UPDATE`;
      const current = await tx.shipment.findUniqueOrThrow({ where: { id: shipment.id } });
      const now = new Date();
      if (current.status === 'CANCELLED') {
        await tx.shipment.update({
          where: { id: shipment.id },
          data: { carrier: label.carrier, trackingNumber: label.trackingNumber, labelVoidedAt: now },
        });
        return 'voided';
      }
      if (current.status !== 'CREATED') return 'skipped';
      await tx.shipment.update({
        where: { id: shipment.id },
        data: {
          status: 'DISPATCHED',
          carrier: label.carrier,
          trackingNumber: label.trackingNumber,
          labelCreatedAt: now,
          dispatchedAt: now,
        },
      });
      await addManyToOutbox(tx, [
        contractEvent(
          'shipment.label_created',
          { ...ref, carrier: label.carrier, trackingNumber: label.trackingNumber, createdAt: now.toISOString() },
          causedBy(run.envelope),
        ),
        contractEvent('shipment.dispatched', { ...ref, dispatchedAt: now.toISOString() }, causedBy(run.envelope)),
      ]);
      return 'purchased';
    });
    await this.finish(attempt.id, outcome);
    this.logger.info({ ...ref, trackingNumber: label.trackingNumber, outcome }, 'label job done');
    return outcome;
  }

  private async finish(id: bigint, outcome: LabelJobOutcome | 'failed', error?: unknown): Promise<void> {
    await this.prisma.labelAttempt.update({
      where: { id },
      data: {
        outcome,
        finishedAt: new Date(),
        error: error === undefined ? null : error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      },
    });
  }
}
