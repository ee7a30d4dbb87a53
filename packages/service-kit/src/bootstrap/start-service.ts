import 'reflect-metadata';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { applyMigrations, isDatabaseUnavailable, PrismaInboxStore, PrismaOutboxStore } from '@sqsref/sqs-prisma';
import type { Envelope, PayloadValidation } from '@sqsref/sqs-transport';
import { createSqsClient, OutboxRelay, SqsServer } from '@sqsref/sqs-transport';
import { Logger } from 'nestjs-pino';
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import type { ServiceConfig } from '../config/service-env.js';
import { databaseUrlOf } from '../config/service-env.js';
import { ConfigError, StartupFailedError } from '../errors.js';
import { HandlerFaultInterceptor } from '../faults/handler-fault.interceptor.js';
import { HttpExceptionFilter } from '../http/http-exception.filter.js';
import { applyHttpSecurity } from '../http/http-security.js';
import { RequestDeadlineInterceptor } from '../http/request-deadline.interceptor.js';
import { retryAfterSeconds } from '../http/service-unavailable.js';
import type { OpenApiOptions } from '../http/openapi.js';
import { setupOpenApi } from '../http/openapi.js';
import { ZodValidationPipe } from '../http/validation.pipe.js';
import { createRootLogger } from '../logging/logger.js';
import { logConsumerEvents, logRelayEvents } from '../logging/transport-logging.js';
import { httpMetrics } from '../metrics/http-metrics.js';
import { ServiceMetrics } from '../metrics/service-metrics.js';
import { TransportStats } from '../stats/transport-stats.js';
import { httpTracing } from '../tracing/http-tracing.js';
import type { TracingOverrides } from '../tracing/start-tracing.js';
import { startTracing } from '../tracing/start-tracing.js';
import { databaseTimeouts } from '../prisma/database-timeouts.js';
import type { PrismaClientOptions, ServicePrismaClient } from '../prisma/prisma-client.js';
import { ServiceKitModule } from './service-kit.module.js';

export interface ServiceDefinition<C extends ServiceConfig, P extends ServicePrismaClient> {
  /** e.g. `order-service`: in every log line, in `pg_stat_activity`, and the SQS consumer's name in inbox keys. */
  name: string;
  config: C;
  /** The domain module(s). */
  imports: Array<Type | DynamicModule>;
  /** The Prisma migrations directory, applied at start when `MIGRATE_ON_START`. */
  migrationsDir: string;
  /** Builds the service's Prisma client, e.g. `(options) => createPrismaClient(PrismaClient, options)`. */
  createPrisma(options: PrismaClientOptions): P;
  /** The SQS consumer: its name in inbox keys, its queues, and the payload check (see `checkPayload`). */
  consumer: { name: string; queues: string[]; validatePayload?: (envelope: Envelope) => PayloadValidation };
  /** Queues the service sends to through its outbox (checked by `/ready`). */
  produces: string[];
  openApi: OpenApiOptions;
  /** Handle SIGTERM/SIGINT with a graceful shutdown. Default true; tests that run services in-process pass false. */
  handleSignals?: boolean;
  /** Where logs go. Default: stdout. */
  logDestination?: DestinationStream;
  /**
   * Tracing: started from the standard `OTEL_*` variables of `process.env` (off when they ask for nothing, see
   * `startTracing`). Tests that register their own SDK pass `false`; `overrides` sends the spans elsewhere.
   */
  tracing?: false | TracingOverrides;
}

export interface RunningService<P extends ServicePrismaClient> {
  app: INestApplication;
  /** `http://<host>:<port>` it listens on (127.0.0.1 when bound to every interface). */
  url: string;
  port: number;
  prisma: P;
  server: SqsServer;
  relay: OutboxRelay;
  logger: PinoLogger;
  /** Graceful shutdown: drains the consumer, stops the relay, disconnects. */
  close(): Promise<void>;
}

/**
 * Starts a service as a NestJS hybrid app, in this order: migrations (before anything listens), the Prisma
 * client, the outbox relay, the SQS consumer (with the Prisma inbox), then HTTP. Configuration is validated
 * before this is called (`loadConfig`). Any failure closes what was opened and throws {@link StartupFailedError}.
 */
export async function startService<C extends ServiceConfig, P extends ServicePrismaClient>(
  definition: ServiceDefinition<C, P>,
): Promise<RunningService<P>> {
  const { config, name } = definition;
  const logger = createRootLogger(name, config.LOG_LEVEL, definition.logDestination);
  const databaseUrl = databaseUrlOf(config);

  if (config.MIGRATE_ON_START) {
    const log = logger.child({ component: 'migrations' });
    await applyMigrations({
      databaseUrl,
      migrationsDir: definition.migrationsDir,
      log: (line) => log.info(line),
    }).catch((error: unknown) => {
      throw new StartupFailedError('applying the database migrations', { cause: error });
    });
  }

  // Before the relay, the consumer and HTTP start: their spans go to the exporters the OTEL_* variables name.
  const tracing =
    definition.tracing === false ? undefined : startTracing(name, process.env, definition.tracing ?? undefined);
  const connection = { endpoint: config.AWS_ENDPOINT_URL_SQS, region: config.AWS_REGION };
  const prisma = definition.createPrisma({
    url: databaseUrl,
    poolSize: config.DATABASE_POOL_SIZE,
    applicationName: name,
    timeoutMs: config.DEPENDENCY_TIMEOUT_MS,
  });
  const sqs = createSqsClient(connection);
  const outboxStore = new PrismaOutboxStore({ client: prisma, listenUrl: databaseUrl });
  const relay = new OutboxRelay({
    store: outboxStore,
    client: sqs,
    idleWaitMs: config.OUTBOX_IDLE_WAIT_MS,
    leaseMs: config.OUTBOX_LEASE_MS,
    retryBaseDelayMs: config.OUTBOX_RETRY_BASE_DELAY_MS,
  });
  logRelayEvents(relay, logger);

  const server = new SqsServer({
    ...connection,
    name: definition.consumer.name,
    queues: definition.consumer.queues.map((queue) => ({
      name: queue,
      waitTimeSeconds: config.SQS_WAIT_TIME_SECONDS,
      ...(config.SQS_VISIBILITY_TIMEOUT_SECONDS === undefined
        ? {}
        : { visibilityTimeoutSeconds: config.SQS_VISIBILITY_TIMEOUT_SECONDS }),
    })),
    inbox: new PrismaInboxStore({
      client: prisma,
      transactionTimeoutMs: config.INBOX_TRANSACTION_TIMEOUT_MS,
      maxWaitMs: databaseTimeouts(config.DEPENDENCY_TIMEOUT_MS).connectMs,
    }),
    // A handler that failed because the database is away keeps its message (polling paused) instead of returning it
    // toward its DLQ; it runs again in process once the database answers.
    isDependencyOutage: isDatabaseUnavailable,
    ...(definition.consumer.validatePayload ? { validatePayload: definition.consumer.validatePayload } : {}),
    concurrency: config.SQS_CONCURRENCY,
    ...(config.SQS_HEARTBEAT_INTERVAL_MS === undefined
      ? {}
      : { heartbeatIntervalMs: config.SQS_HEARTBEAT_INTERVAL_MS }),
    retry: {
      baseDelaySeconds: config.SQS_RETRY_BASE_DELAY_SECONDS,
      maxDelaySeconds: config.SQS_RETRY_MAX_DELAY_SECONDS,
    },
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  });
  logConsumerEvents(server, logger);
  const metrics = new ServiceMetrics().observe(server, relay, () => outboxStore.backlog(), sqs);
  const stats = new TransportStats(metrics.transport);

  let app: INestApplication | undefined;
  try {
    app = await NestFactory.create(
      ServiceKitModule.forRoot({
        imports: definition.imports,
        config,
        logger,
        prisma,
        sqs,
        outboxStore,
        relay,
        queues: [...new Set([...definition.consumer.queues, ...definition.produces])],
        stats,
        metrics,
        tracing,
      }),
      { bufferLogs: true, abortOnError: false },
    );
    app.useLogger(app.get(Logger));
    app.use(httpTracing(), httpMetrics(metrics.httpDuration));
    applyHttpSecurity(app, { trustProxyHops: config.TRUST_PROXY_HOPS });
    app.useGlobalFilters(
      new HttpExceptionFilter({ retryAfterSeconds: retryAfterSeconds(config.DEPENDENCY_TIMEOUT_MS) }),
    );
    app.useGlobalInterceptors(new RequestDeadlineInterceptor(config.DEPENDENCY_TIMEOUT_MS));
    if (config.FAULT_HANDLER_FAILURE_RATE > 0) {
      logger.warn({ rate: config.FAULT_HANDLER_FAILURE_RATE }, 'fault injection on: SQS handlers fail at random');
      app.useGlobalInterceptors(
        new HandlerFaultInterceptor({
          failureRate: config.FAULT_HANDLER_FAILURE_RATE,
          maxReceiveCount: config.FAULT_HANDLER_FAILURE_MAX_RECEIVE_COUNT,
          onInject: (fault) =>
            logger.warn({ component: 'faults', ...fault }, 'fault injected: handler failed on purpose'),
        }),
      );
    }
    app.useGlobalPipes(new ZodValidationPipe());
    if (definition.handleSignals !== false) app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
    setupOpenApi(app, definition.openApi);
    app.connectMicroservice<MicroserviceOptions>({ strategy: server }, { inheritAppConfig: true });
    await app.init();
    await app.startAllMicroservices();
    await app.listen(config.PORT, config.HOST);
  } catch (error) {
    await (app ? app.close() : releaseUnstarted(relay, outboxStore, prisma)).catch(() => undefined);
    if (!app) await tracing?.shutdown().catch(() => undefined);
    throw error instanceof StartupFailedError
      ? error
      : new StartupFailedError('starting the application', { cause: error });
  }

  const address = app.getHttpServer().address() as { port: number } | string | null;
  const port = typeof address === 'object' && address !== null ? address.port : config.PORT;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  const started = app;
  let closing: Promise<void> | undefined;
  return {
    app: started,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    prisma,
    server,
    relay,
    logger,
    close: () => (closing ??= started.close()),
  };
}

async function releaseUnstarted(
  relay: OutboxRelay,
  store: PrismaOutboxStore,
  prisma: ServicePrismaClient,
): Promise<void> {
  await relay.stop();
  await store.close();
  await prisma.$disconnect();
}

/**
 * The body of a service's `main.ts`: starts it and logs where it listens. A configuration error is printed as is
 * (every variable and its allowed values); any startup failure is printed and logged. Both exit with code 1.
 */
export async function runService(start: () => Promise<RunningService<ServicePrismaClient>>): Promise<void> {
  try {
    const service = await start();
    service.logger.info({ url: service.url }, 'listening');
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      const cause =
        error instanceof Error && error.cause instanceof Error ? `\n  caused by: ${error.cause.message}` : '';
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}${cause}\n`);
    }
    process.exit(1);
  }
}
