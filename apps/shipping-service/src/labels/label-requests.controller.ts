import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { ShipmentLabelRequestedV1 } from '@sqsref/contracts';
import { withSpan } from '@sqsref/service-kit';
import type { SqsContext } from '@sqsref/sqs-transport';
import { IdempotentEventPattern, SqsExceptionFilter } from '@sqsref/sqs-transport';
import { LabelJobService } from './label-job.service.js';

/**
 * Consumes `shipping-labels.fifo` in LEASE mode: the carrier call leaves the database, so it cannot run inside an
 * inbox transaction. The inbox lease on the event id is held (and renewed with every heartbeat extension) while the
 * job runs; another delivery of the same request finds it busy and backs off, a finished one is skipped. The
 * heartbeat keeps the message invisible however long the carrier takes, so no second consumer starts the job.
 */
@Controller()
@UseFilters(new SqsExceptionFilter())
export class LabelRequestsController {
  constructor(private readonly labels: LabelJobService) {}

  @IdempotentEventPattern('shipment.label_requested', { inbox: 'lease' })
  async labelRequested(@Payload() request: ShipmentLabelRequestedV1, @Ctx() ctx: SqsContext): Promise<void> {
    // A span of its own inside the message's `process` span: the carrier call is where the time goes.
    await withSpan('label job', { 'shipment.id': request.shipmentId }, () =>
      this.labels.run(request, {
        envelope: ctx.getEnvelope(),
        receiveCount: ctx.getReceiveCount(),
        signal: ctx.getSignal(),
      }),
    );
  }
}
