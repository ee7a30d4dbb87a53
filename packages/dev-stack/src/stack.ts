import { join } from 'node:path';
import type { StackConfig } from './config.js';
import type { EmbeddedPostgresHandle } from './postgres.js';
import { ensureDatabase, removePostgresData, startEmbeddedPostgres } from './postgres.js';
import type { RunningService, ServiceSpec } from './service-process.js';
import { startService } from './service-process.js';
import type { SqsHandle } from './sqs.js';
import { startSqs } from './sqs.js';

export interface Stack {
  sqs: SqsHandle;
  postgres: EmbeddedPostgresHandle | undefined;
  services: RunningService[];
  orderUrl: string;
  shippingUrl: string;
  /** Stops the services (graceful), then PostgreSQL, then the emulator. Idempotent. */
  stop(): Promise<void>;
}

export interface StartStackOptions {
  repoRoot: string;
  config: StackConfig;
  /** Where log lines go. Default: stdout. */
  write?: (line: string) => void;
  /** Extra environment for both services (tests shorten timeouts with it). */
  serviceEnv?: Record<string, string>;
}

/** Deletes the embedded PostgreSQL's data: the next start begins with empty databases. */
export async function resetStackData(config: StackConfig): Promise<void> {
  await removePostgresData(config.dataDir);
}

/**
 * Brings the whole stack up: the SQS emulator (or the given endpoint) with every
 * queue of `infra/queues.json`, an embedded PostgreSQL (unless both database
 * URLs are given) with one database per service, then both services, which
 * apply their migrations before they listen. Resolves once both answer `/ready`.
 */
export async function startStack(options: StartStackOptions): Promise<Stack> {
  const { config, repoRoot } = options;
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const cleanups: Array<() => Promise<void>> = [];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const cleanup of cleanups.reverse())
        await cleanup().catch((error: unknown) => write(`[stack] ${String(error)}`));
    })();
    return stopping;
  };

  try {
    const sqs = await startSqs(join(repoRoot, 'infra/queues.json'), config.sqsPort, config.sqsEndpoint);
    cleanups.push(() => sqs.stop());

    let postgres: EmbeddedPostgresHandle | undefined;
    let orderDatabaseUrl = config.orderDatabaseUrl;
    let shippingDatabaseUrl = config.shippingDatabaseUrl;
    if (!orderDatabaseUrl || !shippingDatabaseUrl) {
      const server = await startEmbeddedPostgres(config.dataDir, config.postgresPort);
      postgres = server;
      cleanups.push(() => server.stop());
      orderDatabaseUrl ??= await ensureDatabase(server.url, 'orders');
      shippingDatabaseUrl ??= await ensureDatabase(server.url, 'shipping');
    }

    const common = { AWS_ENDPOINT_URL_SQS: sqs.endpoint, HOST: '127.0.0.1', ...options.serviceEnv };
    const specs: ServiceSpec[] = [
      {
        name: 'order',
        entry: join(repoRoot, 'apps/order-service/dist/main.js'),
        url: `http://127.0.0.1:${config.orderPort}`,
        env: { ...common, PORT: String(config.orderPort), DATABASE_URL: orderDatabaseUrl },
      },
      {
        name: 'shipping',
        entry: join(repoRoot, 'apps/shipping-service/dist/main.js'),
        url: `http://127.0.0.1:${config.shippingPort}`,
        env: { ...common, PORT: String(config.shippingPort), DATABASE_URL: shippingDatabaseUrl },
      },
    ];
    const services = specs.map((spec) => startService(spec, write));
    for (const service of services) cleanups.push(() => service.stop(35_000));
    await Promise.all(services.map((service) => service.ready(60_000)));

    return {
      sqs,
      postgres,
      services,
      orderUrl: specs[0]?.url ?? '',
      shippingUrl: specs[1]?.url ?? '',
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
