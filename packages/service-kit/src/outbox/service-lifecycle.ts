import type { BeforeApplicationShutdown, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { PrismaOutboxStore } from '@sqsref/sqs-prisma';
import type { OutboxRelay } from '@sqsref/sqs-transport';
import type { Logger as PinoLogger } from 'pino';
import type { ServicePrismaClient } from '../prisma/prisma-client.js';

/**
 * Starts the outbox relay with the application and, on shutdown, releases everything in an order that loses
 * nothing: Nest first drains the SQS consumer (handlers may still write outbox rows), then this stops the relay
 * (the current pass finishes), closes the outbox's LISTEN connection and the SQS client, and disconnects Prisma
 * last. One provider, so that order does not depend on Nest's ordering of hooks across providers.
 */
export class ServiceLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly logger: PinoLogger,
    private readonly relay: OutboxRelay,
    private readonly outboxStore: PrismaOutboxStore,
    private readonly prisma: ServicePrismaClient,
    private readonly sqs: SQSClient,
  ) {}

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  beforeApplicationShutdown(signal?: string): void {
    this.logger.info({ signal }, 'shutting down: draining the SQS consumer');
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    await this.relay.stop();
    await this.outboxStore.close();
    this.sqs.destroy();
    await this.prisma.$disconnect();
    this.logger.info({ signal }, 'stopped');
  }
}
