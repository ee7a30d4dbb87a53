import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { httpUrl } from './bind-host.js';
import type { StackConfig } from './config.js';
import type { LogView } from './log-view.js';
import { formatServiceLine } from './log-view.js';
import type { EmbeddedPostgresHandle } from './postgres.js';
import { ensureDatabase, removePostgresData, startEmbeddedPostgres } from './postgres.js';
import { consoleEntry, serviceEntry } from './repo-paths.js';
import type { ServiceChild, ServiceSpec } from './service-process.js';
import { spawnService } from './service-process.js';
import type { SqsHandle } from './sqs.js';
import { startSqs } from './sqs.js';
import { readStackRecord, removeStackRecord, writeStackRecord } from './stack-record.js';

export interface Stack {
  sqs: SqsHandle;
  postgres: EmbeddedPostgresHandle | undefined;
  services: ServiceChild[];
  orderUrl: string;
  shippingUrl: string;
  /** The operations console (ops/console), a process of its own that reads the services and SQS. */
  consoleUrl: string;
  /** Stops the services (graceful), then PostgreSQL, then the emulator. Idempotent. */
  stop(): Promise<void>;
}

export interface StartStackOptions {
  repoRoot: string;
  config: StackConfig;
  /** Where log lines go. Default: stdout. */
  write?: (line: string) => void;
  /** How the services' log lines are shown. Default `json`: every line, prefixed with the service's name. */
  logView?: LogView;
  /** Extra environment for both services (tests shorten timeouts with it). */
  serviceEnv?: Record<string, string>;
}

/** Where the embedded emulator keeps its queues between starts (the database's place: `postgresDataDir` in postgres.ts). */
export function sqsDataDir(config: StackConfig): string {
  return join(config.dataDir, 'sqs');
}

/** A reset asked for while a stack runs on the same data directory. */
export class StackRunningError extends Error {
  readonly code = 'STACK_RUNNING';
}

/**
 * Deletes the embedded PostgreSQL's data and the emulator's queues: the next start begins empty. Refuses while a
 * stack runs on the same data directory.
 */
export async function resetStackData(config: StackConfig): Promise<void> {
  const running = await readStackRecord(config.dataDir);
  if (running) {
    throw new StackRunningError(
      `npm start (pid ${running.pid}, ${running.orderUrl}) runs on ${config.dataDir}; stop it (Ctrl-C) before resetting its data.`,
    );
  }
  await rm(sqsDataDir(config), { recursive: true, force: true });
  await removePostgresData(config.dataDir);
}

/**
 * Brings the whole stack up: the SQS emulator (or the given endpoint) with every
 * queue of `infra/queues.json`, an embedded PostgreSQL (unless both database
 * URLs are given) with one database per service, then both services, which
 * apply their migrations before they listen, then the operations console. Every server listens on
 * `config.bindHost`; the emulator and PostgreSQL keep their data in
 * `config.dataDir`. Resolves once the services and the console answer `/ready`, and records
 * the URLs in the data directory (`stack.json`, removed at stop).
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
    const sqs = await startSqs(join(repoRoot, 'infra/queues.json'), {
      port: config.sqsPort,
      bindHost: config.bindHost,
      dataDir: sqsDataDir(config),
      externalEndpoint: config.sqsEndpoint,
    });
    cleanups.push(() => sqs.stop());

    let postgres: EmbeddedPostgresHandle | undefined;
    let orderDatabaseUrl = config.orderDatabaseUrl;
    let shippingDatabaseUrl = config.shippingDatabaseUrl;
    if (!orderDatabaseUrl || !shippingDatabaseUrl) {
      const server = await startEmbeddedPostgres(config.dataDir, config.postgresPort, config.bindHost);
      postgres = server;
      cleanups.push(() => server.stop());
      orderDatabaseUrl ??= await ensureDatabase(server.url, 'orders');
      shippingDatabaseUrl ??= await ensureDatabase(server.url, 'shipping');
    }

    const common = { AWS_ENDPOINT_URL_SQS: sqs.endpoint, HOST: config.bindHost, ...options.serviceEnv };
    const specs: ServiceSpec[] = [
      {
        name: 'order',
        entry: serviceEntry('order-service', repoRoot),
        url: httpUrl(config.bindHost, config.orderPort),
        env: { ...common, PORT: String(config.orderPort), DATABASE_URL: orderDatabaseUrl },
      },
      {
        name: 'shipping',
        entry: serviceEntry('shipping-service', repoRoot),
        url: httpUrl(config.bindHost, config.shippingPort),
        env: { ...common, PORT: String(config.shippingPort), DATABASE_URL: shippingDatabaseUrl },
      },
    ];
    const view = options.logView ?? 'json';
    const services = specs.map((spec) =>
      spawnService(spec, (line) => {
        const shown = formatServiceLine(view, spec.name, line);
        if (shown !== undefined) write(shown);
      }),
    );
    for (const service of services) cleanups.push(() => service.stop(35_000));
    await Promise.all(services.map((service) => service.ready(60_000)));

    const orderUrl = specs[0]?.url ?? '';
    const shippingUrl = specs[1]?.url ?? '';
    const consoleUrl = httpUrl(config.bindHost, config.consolePort);
    const consoleSpec: ServiceSpec = {
      name: 'console',
      entry: consoleEntry(repoRoot),
      url: consoleUrl,
      env: {
        AWS_ENDPOINT_URL_SQS: sqs.endpoint,
        HOST: config.bindHost,
        PORT: String(config.consolePort),
        ORDER_URL: orderUrl,
        SHIPPING_URL: shippingUrl,
        QUEUES_FILE: join(repoRoot, 'infra/queues.json'),
      },
    };
    const consoleProcess = spawnService(consoleSpec, (line) => {
      const shown = formatServiceLine(view, consoleSpec.name, line);
      if (shown !== undefined) write(shown);
    });
    services.push(consoleProcess);
    cleanups.push(() => consoleProcess.stop(5_000));
    await consoleProcess.ready(30_000);
    await writeStackRecord(config.dataDir, { pid: process.pid, orderUrl, shippingUrl, sqsEndpoint: sqs.endpoint });
    cleanups.push(() => removeStackRecord(config.dataDir));
    return { sqs, postgres, services, orderUrl, shippingUrl, consoleUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
