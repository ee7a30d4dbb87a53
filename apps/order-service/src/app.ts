import { fileURLToPath } from 'node:url';
import { checkPayload, SERVICE_QUEUES } from '@sqsref/contracts';
import type { RunningService, ServiceDefinition } from '@sqsref/service-kit';
import { createPrismaClient, startService } from '@sqsref/service-kit';
import { AppModule } from './app.module.js';
import type { OrderServiceConfig } from './config.js';
import type { OrderPrisma } from './prisma.js';
import { PrismaClient } from './prisma.js';

/** The same from src/ and dist/. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

/**
 * Starts the order service: a hybrid app with the HTTP API on `PORT` and the SQS consumer of
 * `shipment-events.fifo`; its events leave through the outbox to `order-events.fifo`.
 */
export function startOrderService(
  config: OrderServiceConfig,
  options: Pick<ServiceDefinition<OrderServiceConfig, OrderPrisma>, 'handleSignals' | 'logDestination'> = {},
): Promise<RunningService<OrderPrisma>> {
  return startService({
    name: 'order-service',
    config,
    imports: [AppModule],
    migrationsDir: MIGRATIONS_DIR,
    createPrisma: (prisma) => createPrismaClient(PrismaClient, prisma),
    consumer: {
      name: 'order',
      queues: [...SERVICE_QUEUES['order-service'].consumes],
      validatePayload: (envelope) => checkPayload(envelope.type, envelope.version, envelope.payload),
    },
    produces: [...SERVICE_QUEUES['order-service'].produces],
    openApi: {
      title: 'Order service',
      description:
        'Places, reads and cancels orders. Orders move on as shipping reports their shipment over SQS; no HTTP call crosses between the services.',
      version: '1.0.0',
    },
    ...options,
  });
}
