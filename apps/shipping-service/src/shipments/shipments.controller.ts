import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiError, PRISMA_CLIENT } from '@sqsref/service-kit';
import type { ShippingPrisma } from '../prisma.js';
import { ErrorResponse, ShipmentId, ShipmentQuery, ShipmentView } from './shipment.schemas.js';
import { toShipmentView } from './shipment-view.js';

@ApiTags('shipments')
@ApiBadRequestResponse({ standardSchema: ErrorResponse, description: 'Invalid input: `errors` lists each field.' })
@Controller('shipments')
export class ShipmentsController {
  constructor(@Inject(PRISMA_CLIENT) private readonly prisma: ShippingPrisma) {}

  @Get()
  @ApiOperation({ summary: "An order's shipments (at most one)." })
  @ApiOkResponse({ standardSchema: ShipmentView, isArray: true })
  async byOrder(@Query({ schema: ShipmentQuery }) query: ShipmentQuery): Promise<ShipmentView[]> {
    const shipments = await this.prisma.shipment.findMany({ where: { orderId: query.orderId } });
    return shipments.map(toShipmentView);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A shipment.' })
  @ApiOkResponse({ standardSchema: ShipmentView })
  @ApiNotFoundResponse({ standardSchema: ErrorResponse, description: 'SHIPMENT_NOT_FOUND' })
  async get(@Param('id', { schema: ShipmentId }) id: string): Promise<ShipmentView> {
    const shipment = await this.prisma.shipment.findUnique({ where: { id } });
    if (!shipment) throw new ApiError(404, 'SHIPMENT_NOT_FOUND', `No shipment ${id}.`);
    return toShipmentView(shipment);
  }
}
