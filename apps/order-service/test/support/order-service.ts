import { loadConfig } from '@sqsref/service-kit';
import type { RunningService } from '@sqsref/service-kit';
import type { TestInfrastructure } from '@sqsref/service-kit/testing';
import { startTestInfrastructure } from '@sqsref/service-kit/testing';
import { startOrderService } from '../../src/app.js';
import { orderServiceEnv } from '../../src/config.js';
import type { OrderPrisma } from '../../src/prisma.js';

export interface OrderServiceHarness {
  infrastructure: TestInfrastructure;
  service: RunningService<OrderPrisma>;
  stop(): Promise<void>;
}

/** The order service in-process, on fauxqs and a fresh database, with short timeouts and silent logs. */
export async function startOrderServiceHarness(env: Record<string, string> = {}): Promise<OrderServiceHarness> {
  const infrastructure = await startTestInfrastructure(['orders']);
  try {
    const config = loadConfig('order-service', orderServiceEnv, {
      DATABASE_URL: infrastructure.databases.orders?.url,
      AWS_ENDPOINT_URL_SQS: infrastructure.sqs.endpoint,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      SQS_WAIT_TIME_SECONDS: '1',
      SQS_VISIBILITY_TIMEOUT_SECONDS: '5',
      SQS_RETRY_BASE_DELAY_SECONDS: '0.2',
      SQS_RETRY_MAX_DELAY_SECONDS: '1',
      SHUTDOWN_TIMEOUT_MS: '2000',
      OUTBOX_IDLE_WAIT_MS: '200',
      ...env,
    });
    const service = await startOrderService(config, { handleSignals: false });
    return {
      infrastructure,
      service,
      stop: async () => {
        await service.close();
        await infrastructure.stop();
      },
    };
  } catch (error) {
    await infrastructure.stop();
    throw error;
  }
}
