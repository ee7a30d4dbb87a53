import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CorrelationId, ValidationFailedError } from '@sqsref/service-kit';
import {
  CancelOrderBody,
  CreateOrderBody,
  ErrorResponse,
  IdempotencyKey,
  OrderId,
  OrderListQuery,
  OrderView,
} from './order.schemas.js';
import { OrdersRateLimitGuard } from './orders-rate-limit.js';
import { OrdersService } from './orders.service.js';

/** The response headers a handler sets (Express's response, reduced to what is used). */
interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

@ApiTags('orders')
@ApiBadRequestResponse({ standardSchema: ErrorResponse, description: 'Invalid input: `errors` lists each field.' })
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @HttpCode(201)
  @UseGuards(OrdersRateLimitGuard)
  @ApiOperation({
    summary: 'Place an order.',
    description:
      'Writes the order and its `order.placed` event in one transaction. With an `Idempotency-Key`, a retry of the same request returns the same order (201, header `Idempotent-Replayed: true`), even when the retries race.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Makes retries safe: the same key and body return the same order. 1-255 visible ASCII characters.',
  })
  @ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Carried through logs and events.' })
  @ApiCreatedResponse({ standardSchema: OrderView, description: 'The order (also on an idempotent replay).' })
  @ApiUnprocessableEntityResponse({
    standardSchema: ErrorResponse,
    description: 'IDEMPOTENCY_KEY_REUSED: the key was used with a different body.',
  })
  @ApiTooManyRequestsResponse({
    standardSchema: ErrorResponse,
    description: 'TOO_MANY_REQUESTS: more than ORDERS_RATE_LIMIT_PER_MINUTE from this client; see Retry-After.',
  })
  async create(
    @Body({ schema: CreateOrderBody }) body: CreateOrderBody,
    @Headers('idempotency-key') rawKey: string | undefined,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) response: HeaderSink,
  ): Promise<OrderView> {
    const key = IdempotencyKey.safeParse(rawKey);
    if (!key.success) {
      throw new ValidationFailedError(
        key.error.issues.map((issue) => ({ field: 'Idempotency-Key', message: issue.message })),
      );
    }
    const { order, replayed } = await this.orders.create(body, key.data, correlationId);
    response.setHeader('Location', `/orders/${order.id}`);
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    return order;
  }

  @Get()
  @ApiOperation({
    summary: 'The latest orders, newest first, each with its history.',
    description:
      "Ordered by creation time, then id, both descending. For the next page, pass the last order's id as `before`; an empty page is the end.",
  })
  @ApiOkResponse({ standardSchema: OrderView, isArray: true })
  list(@Query({ schema: OrderListQuery }) query: OrderListQuery): Promise<OrderView[]> {
    return this.orders.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'An order: its status, shipment summary and history, oldest first.' })
  @ApiOkResponse({ standardSchema: OrderView })
  @ApiNotFoundResponse({ standardSchema: ErrorResponse, description: 'ORDER_NOT_FOUND' })
  get(@Param('id', { schema: OrderId }) id: string): Promise<OrderView> {
    return this.orders.get(id);
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Request the cancellation of an order.',
    description:
      'Accepted (202) while the order has not shipped: the order becomes CANCEL_REQUESTED and shipping answers; it ends CANCELLED, or SHIPPED when the parcel had already left. Repeating the request while it is pending is accepted again.',
  })
  @ApiAcceptedResponse({ standardSchema: OrderView })
  @ApiNotFoundResponse({ standardSchema: ErrorResponse, description: 'ORDER_NOT_FOUND' })
  @ApiConflictResponse({
    standardSchema: ErrorResponse,
    description: 'ORDER_ALREADY_SHIPPED, ORDER_ALREADY_CANCELLED or ORDER_CANCEL_REJECTED, with the current `status`.',
  })
  cancel(
    @Param('id', { schema: OrderId }) id: string,
    @Body({ schema: CancelOrderBody }) body: CancelOrderBody,
    @CorrelationId() correlationId: string,
  ): Promise<OrderView> {
    return this.orders.cancel(id, body?.reason, correlationId);
  }
}
