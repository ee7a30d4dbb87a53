import { Module } from '@nestjs/common';
import { PRISMA_CLIENT, SERVICE_CONFIG } from '@sqsref/service-kit';
import { CARRIER } from './carrier/carrier.js';
import { PrismaLabelLedger } from './carrier/prisma-label-ledger.js';
import { SimulatedCarrier } from './carrier/simulated-carrier.js';
import type { ShippingServiceConfig } from './config.js';
import { LabelJobService } from './labels/label-job.service.js';
import { LabelRequestsController } from './labels/label-requests.controller.js';
import type { ShippingPrisma } from './prisma.js';
import { OrderEventsController } from './shipments/order-events.controller.js';
import { OrderEventsService } from './shipments/order-events.service.js';
import { ShipmentsController } from './shipments/shipments.controller.js';
import { ShipmentsService } from './shipments/shipments.service.js';

/** The shipping service's domain: order-event consumer, label job, read API, and the (simulated) carrier. */
@Module({
  controllers: [OrderEventsController, LabelRequestsController, ShipmentsController],
  providers: [
    OrderEventsService,
    ShipmentsService,
    LabelJobService,
    {
      provide: CARRIER,
      inject: [PRISMA_CLIENT, SERVICE_CONFIG],
      useFactory: (prisma: ShippingPrisma, config: ShippingServiceConfig) =>
        new SimulatedCarrier(new PrismaLabelLedger(prisma), {
          durationMs: config.LABEL_JOB_MS,
          failureRate: config.LABEL_FAILURE_RATE,
          slowRate: config.FAULT_SLOW_LABEL_RATE,
          slowMs: config.FAULT_SLOW_LABEL_MS,
        }),
    },
  ],
})
export class AppModule {}
