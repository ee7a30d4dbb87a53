import type { TestInfrastructure } from './infrastructure.js';
import { startTestInfrastructure } from './infrastructure.js';

/** Settings for a service run in-process by a test: short waits and retries, silent logs, a free port. */
export const IN_PROCESS_TEST_ENV: Readonly<Record<string, string>> = {
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  SQS_WAIT_TIME_SECONDS: '1',
  SQS_VISIBILITY_TIMEOUT_SECONDS: '5',
  SQS_RETRY_BASE_DELAY_SECONDS: '0.2',
  SQS_RETRY_MAX_DELAY_SECONDS: '1',
  SHUTDOWN_TIMEOUT_MS: '2000',
  OUTBOX_IDLE_WAIT_MS: '200',
};

export interface ServiceHarness<TService> {
  infrastructure: TestInfrastructure;
  service: TService;
  stop(): Promise<void>;
}

/**
 * A service in-process on fauxqs and a fresh database named `database`: `start` gets the environment to build its
 * config from ({@link IN_PROCESS_TEST_ENV}, the database URL and the SQS endpoint) and starts the service.
 */
export async function startServiceHarness<TService extends { close(): Promise<void> }>(
  database: string,
  start: (env: Record<string, string | undefined>) => Promise<TService>,
): Promise<ServiceHarness<TService>> {
  const infrastructure = await startTestInfrastructure([database]);
  try {
    const service = await start({
      ...IN_PROCESS_TEST_ENV,
      DATABASE_URL: infrastructure.databases[database]?.url,
      AWS_ENDPOINT_URL_SQS: infrastructure.sqs.endpoint,
    });
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
