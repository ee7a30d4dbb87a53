import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { OrderCancelledV1, OrderPlacedV1 } from '@sqsref/contracts';
import type { SqsContext } from '@sqsref/sqs-transport';
import { IdempotentEventPattern, SqsExceptionFilter } from '@sqsref/sqs-transport';
import type { ShippingTx } from '../prisma.js';
import { OrderEventsService } from './order-events.service.js';

/**
 * Consumes `order-events.fifo`, idempotently in transaction mode: a redelivered event (same envelope id) is
 * acknowledged without running again. Payloads were checked against the contract before they get here.
 */
@Controller()
@UseFilters(new SqsExceptionFilter())
export class OrderEventsController {
  constructor(private readonly orders: OrderEventsService) {}

  @IdempotentEventPattern('order.placed')
  placed(@Payload() order: OrderPlacedV1, @Ctx() ctx: SqsContext): Promise<void> {
    return this.orders.placed(order, ctx.getEnvelope(), ctx.getTransaction<ShippingTx>());
  }

  @IdempotentEventPattern('order.cancelled')
  cancelled(@Payload() cancellation: OrderCancelledV1, @Ctx() ctx: SqsContext): Promise<void> {
    return this.orders.cancelled(cancellation, ctx.getEnvelope(), ctx.getTransaction<ShippingTx>());
  }
}
