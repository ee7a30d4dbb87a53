import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventPayload } from '@sqsref/contracts';
import type { SqsContext } from '@sqsref/sqs-transport';
import { IdempotentEventPattern, SqsExceptionFilter } from '@sqsref/sqs-transport';
import type { OrderTx } from '../prisma.js';
import { ShipmentEventsService } from './shipment-events.service.js';

/**
 * Consumes `shipment-events.fifo`. Each handler is idempotent in transaction mode: the inbox row and the order
 * change commit together, so a redelivered event is acknowledged without running again. Payloads were checked
 * against the contract before they get here (invalid ones are dead-lettered with the issues).
 */
@Controller()
@UseFilters(new SqsExceptionFilter())
export class ShipmentEventsController {
  constructor(private readonly events: ShipmentEventsService) {}

  @IdempotentEventPattern('shipment.created')
  created(@Payload() payload: EventPayload<'shipment.created'>, @Ctx() ctx: SqsContext): Promise<void> {
    return this.events.apply('shipment.created', payload, ctx.getEnvelope(), ctx.getTransaction<OrderTx>());
  }

  @IdempotentEventPattern('shipment.label_created')
  labelCreated(@Payload() payload: EventPayload<'shipment.label_created'>, @Ctx() ctx: SqsContext): Promise<void> {
    return this.events.apply('shipment.label_created', payload, ctx.getEnvelope(), ctx.getTransaction<OrderTx>());
  }

  @IdempotentEventPattern('shipment.dispatched')
  dispatched(@Payload() payload: EventPayload<'shipment.dispatched'>, @Ctx() ctx: SqsContext): Promise<void> {
    return this.events.apply('shipment.dispatched', payload, ctx.getEnvelope(), ctx.getTransaction<OrderTx>());
  }

  @IdempotentEventPattern('shipment.cancelled')
  cancelled(@Payload() payload: EventPayload<'shipment.cancelled'>, @Ctx() ctx: SqsContext): Promise<void> {
    return this.events.apply('shipment.cancelled', payload, ctx.getEnvelope(), ctx.getTransaction<OrderTx>());
  }

  @IdempotentEventPattern('shipment.cancel_rejected')
  cancelRejected(@Payload() payload: EventPayload<'shipment.cancel_rejected'>, @Ctx() ctx: SqsContext): Promise<void> {
    return this.events.apply('shipment.cancel_rejected', payload, ctx.getEnvelope(), ctx.getTransaction<OrderTx>());
  }
}
