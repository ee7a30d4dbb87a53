import { fileURLToPath } from 'node:url';
import { checkPayload, SERVICE_QUEUES } from '@sqsref/contracts';
import type { RunningService, ServiceDefinition } from '@sqsref/service-kit';
import { createPrismaClient, startService } from '@sqsref/service-kit';
import { AppModule } from './app.module.js';
import type { ShippingServiceConfig } from './config.js';
import type { ShippingPrisma } from './prisma.js';
import { PrismaClient } from './prisma.js';

/** The same from src/ and dist/. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

/**
 * Starts the shipping service: a hybrid app with its read API on `PORT` and the SQS consumer of
 * `order-events.fifo` and its own `shipping-labels.fifo`; its events leave through the outbox to
 * `shipment-events.fifo` (and label requests to `shipping-labels.fifo`).
 */
export function startShippingService(
  config: ShippingServiceConfig,
  options: Pick<ServiceDefinition<ShippingServiceConfig, ShippingPrisma>, 'handleSignals' | 'logDestination'> = {},
): Promise<RunningService<ShippingPrisma>> {
  return startService({
    name: 'shipping-service',
    config,
    imports: [AppModule],
    migrationsDir: MIGRATIONS_DIR,
    createPrisma: (prisma) => createPrismaClient(PrismaClient, prisma),
    consumer: {
      name: 'shipping',
      queues: [...SERVICE_QUEUES['shipping-service'].consumes],
      validatePayload: (envelope) => checkPayload(envelope.type, envelope.version, envelope.payload),
    },
    produces: [...SERVICE_QUEUES['shipping-service'].produces],
    openApi: {
      title: 'Shipping service',
      description:
        'Reads shipments. Shipments are created, labelled, dispatched and cancelled by order events over SQS; no HTTP call crosses between the services.',
      version: '1.0.0',
    },
    ...options,
  });
}
