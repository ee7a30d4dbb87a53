import { loadConfig } from '@sqsref/service-kit';
import type { RunningService } from '@sqsref/service-kit';
import type { ServiceHarness, ServiceHarnessOptions } from '@sqsref/service-kit/testing';
import { startServiceHarness } from '@sqsref/service-kit/testing';
import { startShippingService } from '../../src/app.js';
import { shippingServiceEnv } from '../../src/config.js';
import type { ShippingPrisma } from '../../src/prisma.js';

export type ShippingServiceHarness = ServiceHarness<RunningService<ShippingPrisma>>;

/** The shipping service in-process, on fauxqs and a fresh database, with short timeouts, silent logs, fast labels. */
export function startShippingServiceHarness(
  env: Record<string, string> = {},
  options: ServiceHarnessOptions = {},
): Promise<ShippingServiceHarness> {
  return startServiceHarness(
    'shipping',
    (base) =>
      startShippingService(
        loadConfig('shipping-service', shippingServiceEnv, {
          ...base,
          LABEL_JOB_MS: '200',
          LABEL_FAILURE_RATE: '0',
          ...env,
        }),
        { handleSignals: false },
      ),
    options,
  );
}
