import type { ServiceName } from '@sqsref/contracts';
import { SERVICE_QUEUES } from '@sqsref/contracts';
import { serviceEnv } from '@sqsref/service-kit/config';

/** What the stack needs to know about one service; everything else comes from the environment's context. */
export interface ServiceDefinition {
  name: ServiceName;
  /** The port it listens on (its `PORT` default). */
  port: number;
  /** Its Dockerfile, relative to the repository root (the build context). */
  dockerfile: string;
  /** Queues it polls (and whose DLQs it sends non-retryable failures to). */
  consumes: readonly string[];
  /** Queues it sends to through its outbox. */
  produces: readonly string[];
}

/** Both services, from the queue usage in `@sqsref/contracts` that the services themselves start with. */
export const SERVICES: readonly ServiceDefinition[] = [
  {
    name: 'order-service',
    port: 3000,
    dockerfile: 'apps/order-service/Dockerfile',
    ...SERVICE_QUEUES['order-service'],
  },
  {
    name: 'shipping-service',
    port: 3001,
    dockerfile: 'apps/shipping-service/Dockerfile',
    ...SERVICE_QUEUES['shipping-service'],
  },
];

/**
 * The services' graceful shutdown timeout: the default of `SHUTDOWN_TIMEOUT_MS` in service-kit's environment schema,
 * read from the schema itself. The stack sets it on every container and gives ECS a longer stop timeout.
 */
export const SHUTDOWN_TIMEOUT_MS: number = serviceEnv({ port: 0 }).SHUTDOWN_TIMEOUT_MS.parse(undefined);

/** How much longer ECS waits after SIGTERM than the services' own shutdown: time to flush deletes and exit. */
export const STOP_TIMEOUT_MARGIN_SECONDS = 15;

/** Fargate's longest stop timeout (`stopTimeout`), in seconds. */
export const FARGATE_MAX_STOP_TIMEOUT_SECONDS = 120;
