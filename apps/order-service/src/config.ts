import type { EnvConfig } from '@sqsref/service-kit';
import { serviceEnv } from '@sqsref/service-kit';

/** Every environment variable of the order service (README.md lists them with their defaults). */
export const orderServiceEnv = {
  ...serviceEnv({ port: 3000 }),
};

export type OrderServiceConfig = EnvConfig<typeof orderServiceEnv>;
