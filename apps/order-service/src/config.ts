import type { EnvConfig } from '@sqsref/service-kit';
import { env, serviceEnv } from '@sqsref/service-kit';

/** Every environment variable of the order service (README.md lists them with their defaults). */
export const orderServiceEnv = {
  ...serviceEnv({ port: 3000 }),
  /**
   * `POST /orders` per client (its address, see `TRUST_PROXY_HOPS`) per minute, per process; past it, 429 with
   * `Retry-After`. 0 (the default) turns the limit off, as on a developer's machine; the AWS stack sets it.
   */
  ORDERS_RATE_LIMIT_PER_MINUTE: env.integer({ default: 0, min: 0, max: 1_000_000 }),
};

export type OrderServiceConfig = EnvConfig<typeof orderServiceEnv>;
