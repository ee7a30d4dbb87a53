import type { EnvConfig } from '@sqsref/service-kit';
import { env, serviceEnv } from '@sqsref/service-kit';

/** Every environment variable of the shipping service (README.md lists them with their defaults). */
export const shippingServiceEnv = {
  ...serviceEnv({ port: 3001 }),
  /** How long the simulated carrier takes to sell a label, in ms. */
  LABEL_JOB_MS: env.integer({ default: 3_000, min: 0, max: 3_600_000 }),
  /** Share of label purchases that fail (and are retried with backoff), from 0 to 1. */
  LABEL_FAILURE_RATE: env.number({ default: 0.1, min: 0, max: 1 }),
  /** Fault injection (the chaos suite only): share of label purchases slowed by `FAULT_SLOW_LABEL_MS`. 0 = off. */
  FAULT_SLOW_LABEL_RATE: env.number({ default: 0, min: 0, max: 1 }),
  /** The extra time of a slowed label purchase, in ms (above the visibility timeout, the heartbeat must hold it). */
  FAULT_SLOW_LABEL_MS: env.integer({ default: 0, min: 0, max: 3_600_000 }),
};

export type ShippingServiceConfig = EnvConfig<typeof shippingServiceEnv>;
