import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorResponse, ShipmentId, ShipmentQuery, ShipmentView } from './shipment.schemas.js';
import { ShipmentsService } from './shipments.service.js';

@ApiTags('shipments')
@ApiBadRequestResponse({ standardSchema: ErrorResponse, description: 'Invalid input: `errors` lists each field.' })
@Controller('shipments')
export class ShipmentsController {
  constructor(private readonly shipments: ShipmentsService) {}

  @Get()
  @ApiOperation({ summary: "An order's shipments (at most one)." })
  @ApiOkResponse({ standardSchema: ShipmentView, isArray: true })
  byOrder(@Query({ schema: ShipmentQuery }) query: ShipmentQuery): Promise<ShipmentView[]> {
    return this.shipments.byOrder(query.orderId);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A shipment.' })
  @ApiOkResponse({ standardSchema: ShipmentView })
  @ApiNotFoundResponse({ standardSchema: ErrorResponse, description: 'SHIPMENT_NOT_FOUND' })
  get(@Param('id', { schema: ShipmentId }) id: string): Promise<ShipmentView> {
    return this.shipments.get(id);
  }
}
