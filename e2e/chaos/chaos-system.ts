import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestInfrastructure } from '@sqsref/dev-stack';
import { queueUrl, startTestInfrastructure } from '@sqsref/dev-stack';
import { query } from '@sqsref/service-kit/testing';
import type { LogRecord } from '../support/service-process.js';
import { ServiceProcess } from '../support/service-process.js';
import { FAST } from '../support/stack.js';
import type { Replica } from './fault-schedule.js';

/** The databases of the chaos system, by the name the faults use. */
export type DatabaseName = 'orders' | 'shipping';

/** Replicas per service: at least two of each, as the issue asks. */
export const REPLICAS = { 'order-service': 2, 'shipping-service': 2 } as const;

/**
 * What the services run with in the chaos suite, beyond the e2e suite's fast settings: every fault switch on, a
 * visibility timeout that slowed label jobs outlive (the heartbeat must hold them), and label jobs short enough for
 * hundreds of orders in a few minutes. `SQS_CONCURRENCY` stays below `DATABASE_POOL_SIZE`, so that handlers holding
 * inbox transactions leave connections to HTTP requests (see docs/reliability.md: with 50 handlers on a pool of 5, a
 * backlog after a stall collapses into pool timeouts that both the API and the consumer read as an outage).
 */
export const CHAOS_SERVICE_ENV = {
  // debug: the consumer's `message received` lines, from which the audit reads each message's receive history.
  LOG_LEVEL: 'debug',
  SQS_VISIBILITY_TIMEOUT_SECONDS: '5',
  SQS_CONCURRENCY: '8',
  DEPENDENCY_TIMEOUT_MS: '3000',
  DATABASE_POOL_SIZE: '10',
  FAULT_HANDLER_FAILURE_RATE: '0.05',
  FAULT_HANDLER_FAILURE_MAX_RECEIVE_COUNT: '3',
};
export const CHAOS_SHIPPING_ENV = {
  LABEL_JOB_MS: '150',
  LABEL_FAILURE_RATE: '0.05',
  FAULT_SLOW_LABEL_RATE: '0.03',
  FAULT_SLOW_LABEL_MS: '6000',
};

/**
 * The chaos suite's system: fauxqs durable in a process of its own (so it can be paused, killed and restarted with
 * its data), real PostgreSQL, and each service as several processes sharing its database.
 */
export class ChaosSystem {
  private constructor(
    readonly infrastructure: TestInfrastructure,
    private readonly sqsDir: string,
    /** The services' databases, for the audit and the faults. */
    readonly databaseUrls: Record<DatabaseName, string>,
    readonly replicas: { 'order-service': ServiceProcess[]; 'shipping-service': ServiceProcess[] },
  ) {}

  static async start(): Promise<ChaosSystem> {
    const sqsDir = await mkdtemp(join(tmpdir(), 'chaos-sqs-'));
    const infrastructure = await startTestInfrastructure(['chaos_orders', 'chaos_shipping'], { durableSqsDir: sqsDir });
    const databaseUrls = {
      orders: infrastructure.databases.chaos_orders?.url ?? '',
      shipping: infrastructure.databases.chaos_shipping?.url ?? '',
    };
    const base = {
      ...FAST,
      ...CHAOS_SERVICE_ENV,
      AWS_ENDPOINT_URL_SQS: infrastructure.sqs.endpoint,
      AWS_REGION: 'us-east-1',
    };
    const make = (service: Replica['service'], env: Record<string, string>) =>
      Array.from({ length: REPLICAS[service] }, () => new ServiceProcess(service, { ...base, ...env }));
    const system = new ChaosSystem(infrastructure, sqsDir, databaseUrls, {
      'order-service': make('order-service', { DATABASE_URL: databaseUrls.orders }),
      'shipping-service': make('shipping-service', {
        DATABASE_URL: databaseUrls.shipping,
        ...CHAOS_SHIPPING_ENV,
      }),
    });
    try {
      // The first replica of each migrates its database; the others start once it is ready.
      await Promise.all([
        system.replica({ service: 'order-service', index: 0 }).start(),
        system.replica({ service: 'shipping-service', index: 0 }).start(),
      ]);
      await Promise.all(
        system
          .all()
          .filter((service) => service.url === '')
          .map((service) => service.start()),
      );
    } catch (error) {
      await system.stop();
      throw error;
    }
    return system;
  }

  replica({ service, index }: Replica): ServiceProcess {
    const found = this.replicas[service][index];
    if (!found) throw new Error(`no replica ${service}#${index}`);
    return found;
  }

  all(): ServiceProcess[] {
    return [...this.replicas['order-service'], ...this.replicas['shipping-service']];
  }

  /** The order service's HTTP endpoints, one per replica. */
  orderUrls(): string[] {
    return this.replicas['order-service'].map((service) => service.url);
  }

  queueUrl(name: string): string {
    return queueUrl(this.infrastructure, name);
  }

  /** Runs SQL on a service's database. */
  sql<T extends Record<string, unknown>>(database: DatabaseName, text: string, values?: unknown[]): Promise<T[]> {
    return query<T>(this.databaseUrls[database], text, values);
  }

  /** Each process's log records (every start appended), by process name (`shipping-service#1`). */
  logsByProcess(): Map<string, readonly LogRecord[]> {
    const logs = new Map<string, readonly LogRecord[]>();
    for (const [service, processes] of Object.entries(this.replicas)) {
      for (const [index, replica] of processes.entries()) logs.set(`${service}#${index}`, replica.logs);
    }
    return logs;
  }

  /** Writes each process's log (JSON lines, every start appended) and stderr under `dir`, to read after a failed run. */
  async writeLogs(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    for (const [service, processes] of Object.entries(this.replicas)) {
      for (const [index, replica] of processes.entries()) {
        const lines = replica.logs.map((record) => JSON.stringify(record)).join('\n');
        await writeFile(join(dir, `${service}-${index}.log`), `${lines}\n${replica.stderr}`);
      }
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.all().map((service) => service.stop('SIGKILL')));
    await this.infrastructure.stop();
    await rm(this.sqsDir, { recursive: true, force: true });
  }
}
