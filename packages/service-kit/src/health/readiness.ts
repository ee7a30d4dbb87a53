import type { BeforeApplicationShutdown } from '@nestjs/common';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import type { RawSqlClient } from '@sqsref/sqs-prisma';

/**
 * What `GET /ready` checks: the database answers `SELECT 1`, and every queue the service consumes or produces
 * exists (`GetQueueUrl`). It also turns not-ready as soon as shutdown begins, so a load balancer stops sending
 * traffic while in-flight work drains.
 */
export class Readiness implements BeforeApplicationShutdown {
  private stopping = false;

  constructor(
    private readonly database: RawSqlClient,
    private readonly sqs: SQSClient,
    readonly queues: readonly string[],
  ) {}

  get shuttingDown(): boolean {
    return this.stopping;
  }

  beforeApplicationShutdown(): void {
    this.stopping = true;
  }

  async pingDatabase(): Promise<void> {
    await this.database.$queryRaw`SELECT 1`;
  }

  /** Resolves with the queue URLs; rejects naming the first queue that cannot be reached. */
  async queueUrls(signal: AbortSignal): Promise<Record<string, string>> {
    const entries = await Promise.all(
      this.queues.map(async (name) => {
        try {
          const { QueueUrl } = await this.sqs.send(new GetQueueUrlCommand({ QueueName: name }), {
            abortSignal: signal,
          });
          return [name, QueueUrl ?? ''] as const;
        } catch (error) {
          throw new Error(`queue "${name}": ${error instanceof Error ? error.message : String(error)}`, {
            cause: error,
          });
        }
      }),
    );
    return Object.fromEntries(entries);
  }
}
