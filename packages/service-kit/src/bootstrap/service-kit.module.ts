import type { DynamicModule, Type } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { PrismaOutboxStore } from '@sqsref/sqs-prisma';
import type { OutboxRelay } from '@sqsref/sqs-transport';
import type { Logger as PinoLogger } from 'pino';
import { HealthController } from '../health/health.controller.js';
import { Readiness } from '../health/readiness.js';
import { loggerModule } from '../logging/logger.js';
import { ServiceLifecycle } from '../outbox/service-lifecycle.js';
import type { Tracing } from '../tracing/start-tracing.js';
import { MetricsController } from '../metrics/metrics.controller.js';
import { ServiceMetrics } from '../metrics/service-metrics.js';
import { StatsController } from '../stats/stats.controller.js';
import { TransportStats } from '../stats/transport-stats.js';
import type { ServicePrismaClient } from '../prisma/prisma-client.js';
import { PRISMA_CLIENT, SERVICE_CONFIG } from './tokens.js';

export interface ServiceKitModuleOptions {
  /** The service's domain module(s). */
  imports: Array<Type | DynamicModule>;
  config: object;
  logger: PinoLogger;
  prisma: ServicePrismaClient;
  sqs: SQSClient;
  outboxStore: PrismaOutboxStore;
  relay: OutboxRelay;
  /** Queues `GET /ready` checks. */
  queues: readonly string[];
  /** Counters for `GET /stats`. */
  stats: TransportStats;
  /** Everything `GET /metrics` serves. */
  metrics: ServiceMetrics;
  /** The OpenTelemetry SDK, when tracing is on: shut down (its last spans exported) when the app closes. */
  tracing?: Tracing | undefined;
}

/**
 * The root module of a service: nestjs-pino, terminus with `/health` and `/ready`, the outbox relay lifecycle, and
 * the service's Prisma client and config as global providers ({@link PRISMA_CLIENT}, {@link SERVICE_CONFIG}).
 */
/** The provider that shuts the OpenTelemetry SDK down after everything else closed. */
const TRACING_SHUTDOWN = Symbol('TRACING_SHUTDOWN');

@Module({})
export class ServiceKitModule {
  static forRoot(options: ServiceKitModuleOptions): DynamicModule {
    return {
      module: ServiceKitModule,
      global: true,
      imports: [loggerModule(options.logger), TerminusModule.forRoot({ errorLogStyle: 'json' }), ...options.imports],
      controllers: [HealthController, StatsController, MetricsController],
      providers: [
        { provide: PRISMA_CLIENT, useValue: options.prisma },
        { provide: SERVICE_CONFIG, useValue: options.config },
        { provide: TransportStats, useValue: options.stats },
        { provide: ServiceMetrics, useValue: options.metrics },
        {
          provide: TRACING_SHUTDOWN,
          useValue: { onApplicationShutdown: () => options.tracing?.shutdown().catch(() => undefined) },
        },
        { provide: Readiness, useValue: new Readiness(options.prisma, options.sqs, options.queues) },
        {
          provide: ServiceLifecycle,
          useValue: new ServiceLifecycle(
            options.logger,
            options.relay,
            options.outboxStore,
            options.prisma,
            options.sqs,
          ),
        },
      ],
      exports: [PRISMA_CLIENT, SERVICE_CONFIG],
    };
  }
}
