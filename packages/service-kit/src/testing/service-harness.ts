import { StallableProxy } from '@sqsref/sqs-transport/testing';
import type { TestInfrastructure } from '@sqsref/dev-stack';
import { startTestInfrastructure } from '@sqsref/dev-stack';

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
  /** The proxy between the service and its database, when started with `stallableDatabase` (stall, resume, drop). */
  databaseProxy: StallableProxy | undefined;
  /** The service's database URL, straight to the server (not through the proxy): for looking in from the test. */
  databaseUrl: string;
  stop(): Promise<void>;
}

export interface ServiceHarnessOptions {
  /** Put a {@link StallableProxy} between the service and its database. Default false. */
  stallableDatabase?: boolean;
}

/**
 * A service in-process on fauxqs and a fresh database named `database`: `start` gets the environment to build its
 * config from ({@link IN_PROCESS_TEST_ENV}, the database URL and the SQS endpoint) and starts the service.
 */
export async function startServiceHarness<TService extends { close(): Promise<void> }>(
  database: string,
  start: (env: Record<string, string | undefined>) => Promise<TService>,
  options: ServiceHarnessOptions = {},
): Promise<ServiceHarness<TService>> {
  const infrastructure = await startTestInfrastructure([database]);
  let databaseProxy: StallableProxy | undefined;
  const stopInfrastructure = async (): Promise<void> => {
    databaseProxy?.resume();
    await databaseProxy?.stop();
    await infrastructure.stop();
  };
  try {
    const databaseUrl = infrastructure.databases[database]?.url ?? '';
    databaseProxy = options.stallableDatabase ? await StallableProxy.forUrl(databaseUrl) : undefined;
    const service = await start({
      ...IN_PROCESS_TEST_ENV,
      DATABASE_URL: databaseProxy ? databaseProxy.url(databaseUrl) : databaseUrl,
      AWS_ENDPOINT_URL_SQS: infrastructure.sqs.endpoint,
    });
    return {
      infrastructure,
      service,
      databaseProxy,
      databaseUrl,
      stop: async () => {
        databaseProxy?.resume();
        await service.close();
        await stopInfrastructure();
      },
    };
  } catch (error) {
    await stopInfrastructure();
    throw error;
  }
}
