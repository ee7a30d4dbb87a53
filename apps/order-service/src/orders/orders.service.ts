import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  ApiError,
  contractEvent,
  InjectPinoLogger,
  isUniqueViolation,
  PinoLogger,
  PRISMA_CLIENT,
  ValidationFailedError,
} from '@sqsref/service-kit';
import { addToOutbox } from '@sqsref/sqs-prisma';
import type { OrderPrisma, OrderTx } from '../prisma.js';
import type { CreateOrderBody, OrderListQuery, OrderView } from './order.schemas.js';
import { decideCancel } from './order-state.js';
import { toOrderView } from './order-view.js';
import { requestHash } from './request-hash.js';

export interface CreatedOrder {
  order: OrderView;
  /** True when an earlier request with the same Idempotency-Key created the order. */
  replayed: boolean;
}

/**
 * Orders over HTTP: create (with an optional Idempotency-Key), read, list, cancel. Every change writes the order, its
 * history row and its event (to `order-events.fifo`, group = order id) in one transaction: the event exists
 * exactly when the change does.
 */
@Injectable()
export class OrdersService {
  constructor(
    @Inject(PRISMA_CLIENT) private readonly prisma: OrderPrisma,
    @InjectPinoLogger(OrdersService.name) private readonly logger: PinoLogger,
  ) {}

  /**
   * Creates the order, or returns the one an earlier request with the same key created. Insert first, race-safe:
   * the key is unique, so of two concurrent requests one commits and the other waits on the index, then fails with
   * P2002 and reads the winner's order. The same key with a different body is a 422.
   */
  async create(
    body: CreateOrderBody,
    idempotencyKey: string | undefined,
    correlationId: string,
  ): Promise<CreatedOrder> {
    const hash = idempotencyKey === undefined ? null : requestHash(body);
    const id = randomUUID();
    const placedAt = new Date();
    const event = contractEvent(
      'order.placed',
      { orderId: id, ...body, placedAt: placedAt.toISOString() },
      { correlationId, occurredAt: placedAt },
    );
    try {
      await this.prisma.$transaction(async (tx) => {
        await tx.order.create({
          data: {
            id,
            customerId: body.customerId,
            items: body.items,
            shippingAddress: body.shippingAddress,
            status: 'PENDING',
            idempotencyKey: idempotencyKey ?? null,
            requestHash: hash,
            correlationId,
            createdAt: placedAt,
          },
        });
        await tx.orderHistory.create({
          data: {
            orderId: id,
            type: 'order.placed',
            status: 'PENDING',
            eventId: event.envelope.id,
            occurredAt: placedAt,
          },
        });
        await addToOutbox(tx, event);
      });
    } catch (error) {
      if (idempotencyKey === undefined || !isUniqueViolation(error, 'idempotency_key')) throw error;
      return { order: await this.replay(idempotencyKey, hash), replayed: true };
    }
    this.logger.info({ orderId: id, eventId: event.envelope.id }, 'order placed');
    return { order: (await this.find(id)) as OrderView, replayed: false };
  }

  async get(id: string): Promise<OrderView> {
    const order = await this.find(id);
    if (!order) throw orderNotFound(id);
    return order;
  }

  /**
   * The latest `limit` orders with their history, newest first: by `created_at`, then `id`, both descending (the
   * index `orders_created_at_id_idx` serves it). With `before`, the orders that come after that one in this order:
   * a keyset page, stable while new orders arrive. An unknown `before` is a 400 on that field.
   */
  async list({ limit, before }: OrderListQuery): Promise<OrderView[]> {
    let after: { createdAt: Date; id: string } | null = null;
    if (before !== undefined) {
      after = await this.prisma.order.findUnique({ where: { id: before }, select: { createdAt: true, id: true } });
      if (!after) throw new ValidationFailedError([{ field: 'before', message: `no order ${before}` }]);
    }
    const orders = await this.prisma.order.findMany({
      ...(after && {
        where: {
          OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }],
        },
      }),
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
      include: { history: { orderBy: { seq: 'asc' } } },
    });
    return orders.map((order) => toOrderView(order, order.history));
  }

  /** Accepts a cancellation (202) and emits `order.cancelled`; shipping answers with cancelled or cancel_rejected. */
  async cancel(id: string, reason: string | undefined, correlationId: string): Promise<OrderView> {
    const outcome = await this.prisma.$transaction(async (tx) => {
      const order = await lockOrder(tx, id);
      if (!order) throw orderNotFound(id);
      const decision = decideCancel({
        status: order.status,
        shipmentStatus: order.shipmentStatus,
        cancelRequested: order.cancelRequestedAt !== null,
      });
      if (!decision.ok) throw new ApiError(409, decision.code, decision.reason, { status: order.status });
      if (decision.alreadyRequested) return { emitted: null };
      const cancelledAt = new Date();
      const event = contractEvent(
        'order.cancelled',
        { orderId: id, ...(reason === undefined ? {} : { reason }), cancelledAt: cancelledAt.toISOString() },
        { correlationId, occurredAt: cancelledAt },
      );
      await tx.order.update({
        where: { id },
        data: { status: decision.status, cancelRequestedAt: cancelledAt, cancelReason: reason ?? null },
      });
      await tx.orderHistory.create({
        data: {
          orderId: id,
          type: 'order.cancelled',
          status: decision.status,
          eventId: event.envelope.id,
          occurredAt: cancelledAt,
        },
      });
      await addToOutbox(tx, event);
      return { emitted: event.envelope.id };
    });
    if (outcome.emitted) this.logger.info({ orderId: id, eventId: outcome.emitted }, 'cancellation requested');
    return this.get(id);
  }

  private async replay(idempotencyKey: string, hash: string | null): Promise<OrderView> {
    const existing = await this.prisma.order.findUnique({ where: { idempotencyKey } });
    // Orders are never deleted, so the row that won the race is there.
    if (!existing) throw new Error(`order with Idempotency-Key ${idempotencyKey} vanished`);
    if (existing.requestHash !== hash) {
      throw new ApiError(
        422,
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used for a different request body; use a new key for a new order.',
        { orderId: existing.id },
      );
    }
    this.logger.info({ orderId: existing.id }, 'idempotent replay of order creation');
    return (await this.find(existing.id)) as OrderView;
  }

  private async find(id: string): Promise<OrderView | null> {
    const order = await this.prisma.order.findUnique({
      where: { id },
      include: { history: { orderBy: { seq: 'asc' } } },
    });
    return order ? toOrderView(order, order.history) : null;
  }
}

/** Locks the order's row for the rest of the transaction (HTTP cancels and shipment events take turns). */
export async function lockOrder(tx: OrderTx, id: string) {
  await tx.$queryRaw`SELECT 1 FROM orders WHERE id = ${id}::uuid FOR UPDATE`;
  return tx.order.findUnique({ where: { id } });
}

function orderNotFound(id: string): ApiError {
  return new ApiError(404, 'ORDER_NOT_FOUND', `No order ${id}.`);
}
