import { Module } from '@nestjs/common';
import { OrdersController } from './orders/orders.controller.js';
import { OrdersService } from './orders/orders.service.js';
import { ShipmentEventsController } from './shipments/shipment-events.controller.js';
import { ShipmentEventsService } from './shipments/shipment-events.service.js';

/** The order service's domain: the HTTP API and the shipment-event consumer. */
@Module({
  controllers: [OrdersController, ShipmentEventsController],
  providers: [OrdersService, ShipmentEventsService],
})
export class AppModule {}
