import { loadConfig } from '@sqsref/service-kit';
import type { RunningService } from '@sqsref/service-kit';
import type { ServiceHarness, ServiceHarnessOptions } from '@sqsref/service-kit/testing';
import { startServiceHarness } from '@sqsref/service-kit/testing';
import { startOrderService } from '../../src/app.js';
import { orderServiceEnv } from '../../src/config.js';
import type { OrderPrisma } from '../../src/prisma.js';

export type OrderServiceHarness = ServiceHarness<RunningService<OrderPrisma>>;

/** The order service in-process, on fauxqs and a fresh database, with short timeouts and silent logs. */
export function startOrderServiceHarness(
  env: Record<string, string> = {},
  options: ServiceHarnessOptions = {},
): Promise<OrderServiceHarness> {
  return startServiceHarness(
    'orders',
    (base) =>
      startOrderService(loadConfig('order-service', orderServiceEnv, { ...base, ...env }), { handleSignals: false }),
    options,
  );
}
