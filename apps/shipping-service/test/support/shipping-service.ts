import { loadConfig } from '@sqsref/service-kit';
import type { RunningService } from '@sqsref/service-kit';
import type { TestInfrastructure } from '@sqsref/service-kit/testing';
import { startTestInfrastructure } from '@sqsref/service-kit/testing';
import { startShippingService } from '../../src/app.js';
import { shippingServiceEnv } from '../../src/config.js';
import type { ShippingPrisma } from '../../src/prisma.js';

export interface ShippingServiceHarness {
  infrastructure: TestInfrastructure;
  service: RunningService<ShippingPrisma>;
  stop(): Promise<void>;
}

/** The shipping service in-process, on fauxqs and a fresh database, with short timeouts and silent logs. */
export async function startShippingServiceHarness(env: Record<string, string> = {}): Promise<ShippingServiceHarness> {
  const infrastructure = await startTestInfrastructure(['shipping']);
  try {
    const config = loadConfig('shipping-service', shippingServiceEnv, {
      DATABASE_URL: infrastructure.databases.shipping?.url,
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
      LABEL_JOB_MS: '200',
      LABEL_FAILURE_RATE: '0',
      ...env,
    });
    const service = await startShippingService(config, { handleSignals: false });
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
