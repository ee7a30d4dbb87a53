import { randomUUID } from 'node:crypto';
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { createEnvelope } from '@sqsref/sqs-transport';
import { delay } from '@sqsref/sqs-transport/common';
import { waitFor } from '@sqsref/sqs-transport/testing';
import type { ServiceProcess } from '../support/service-process.js';
import type { ChaosSystem, DatabaseName } from './chaos-system.js';
import type { Fault, FaultKind } from './fault-schedule.js';
import type { TimedFault } from './receive-history.js';

/** What injecting one fault did. */
export interface FaultOutcome {
  /** e.g. the number of connections terminated, the event sent again. */
  detail: string;
}

/**
 * Carries out the faults of a schedule against a {@link ChaosSystem}, one at a time, and counts them by kind. It
 * remembers the poison messages it sent: the only messages the audit accepts in a DLQ.
 */
export class FaultInjector {
  readonly counts = new Map<FaultKind, number>();
  /** Envelope ids of the poison messages sent. */
  readonly poisonIds = new Set<string>();
  /** Envelope ids sent again by the foreign producer. */
  readonly duplicated: string[] = [];
  /** The faults that can use up a message's receives, with when they struck: the audit explains redrives from it. */
  readonly timeline: TimedFault[] = [];
  /** Restarts under way after a kill, by replica: the schedule goes on meanwhile. */
  private readonly restarts = new Map<string, Promise<void>>();
  private readonly restartErrors: unknown[] = [];
  private readonly starting = new Set<string>();

  constructor(private readonly system: ChaosSystem) {}

  async inject(fault: Fault): Promise<FaultOutcome> {
    this.counts.set(fault.kind, (this.counts.get(fault.kind) ?? 0) + 1);
    switch (fault.kind) {
      case 'kill-service': {
        const name = `${fault.replica.service}#${fault.replica.index}`;
        // A replica still starting from an earlier kill is left to start: the schedule keeps its pace.
        if (this.starting.has(name)) return { detail: 'skipped: still starting after an earlier kill' };
        const service = this.system.replica(fault.replica);
        this.timeline.push({ kind: 'kill', process: name, at: Date.now() });
        const status = await service.stop('SIGKILL');
        if (status.signal !== 'SIGKILL') this.crashes.push(`${name} had exited by itself (${JSON.stringify(status)})`);
        this.starting.add(name);
        this.restarts.set(
          name,
          this.supervise(service)
            .catch((error: unknown) => void this.restartErrors.push(error))
            .finally(() => this.starting.delete(name)),
        );
        return { detail: `ended by ${status.signal ?? `code ${status.code}`}, restarting` };
      }
      case 'restart-sqs':
        return this.restartSqs(fault.pauseMs);
      case 'terminate-db-connections':
        return this.terminateConnections(fault.database);
      case 'stall-db':
        return this.stallDatabase(fault.ms);
      case 'foreign-duplicate':
        return this.sendAgain(fault.pick);
      case 'poison-message':
        return this.sendPoison();
    }
  }

  /** Service processes found ended that no fault killed: a crash, which the run reports as a failure. */
  readonly crashes: string[] = [];
  /** Processes that exited while starting (e.g. their migration connection was terminated), and were started again. */
  readonly failedStarts: string[] = [];

  /**
   * Starts `service` again as a supervisor (ECS, Kubernetes) would: a process that exits before it is ready (its
   * database connection terminated during its migrations, say) is started again, up to 5 times.
   */
  private async supervise(service: ServiceProcess): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await service.start({ timeoutMs: 120_000 });
        return;
      } catch (error) {
        if (attempt >= 5) throw error;
        this.failedStarts.push(`${service.name}: ${String(error).split('\n')[0]}`);
        await service.stop('SIGKILL');
      }
    }
  }

  /** Records every service process that has ended although no fault killed it (call after {@link restarted}). */
  async findCrashed(): Promise<void> {
    for (const service of this.system.all()) {
      // An ended process's exit promise is already settled, so it wins the race against the one settled here.
      const exited = await Promise.race([service.waitForExit(), Promise.resolve(undefined)]);
      if (exited) this.crashes.push(`${service.name} ${service.url} ended by itself (${JSON.stringify(exited)})`);
    }
  }

  /** Waits for the restarts under way; throws when one failed. */
  async restarted(): Promise<void> {
    await Promise.all(this.restarts.values());
    if (this.restartErrors.length > 0)
      throw new Error(`a killed replica did not start again: ${String(this.restartErrors[0])}`);
  }

  private async restartSqs(pauseMs: number): Promise<FaultOutcome> {
    const control = this.system.infrastructure.sqsProcess;
    if (!control) throw new Error('the chaos system runs fauxqs in a process of its own');
    const from = Date.now();
    process.kill(control.pid, 'SIGSTOP');
    await delay(pauseMs);
    await control.restart(); // SIGKILL (a stopped process dies too), then the same port and data
    this.timeline.push({ kind: 'sqs-restart', from, to: Date.now() });
    return { detail: `paused ${pauseMs} ms, killed, restarted` };
  }

  private async terminateConnections(database: DatabaseName): Promise<FaultOutcome> {
    const from = Date.now();
    const rows = await this.system.sql<{ terminated: number }>(
      database,
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS terminated FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    this.timeline.push({ kind: 'database', what: `pg_terminate_backend on ${database}`, from, to: Date.now() });
    return { detail: `${rows[0]?.terminated ?? 0} connections terminated` };
  }

  /**
   * Both databases stall for `ms`: a transaction holds an ACCESS EXCLUSIVE lock on every table the services use, so
   * each of their statements waits (until the lock goes, or its statement_timeout cancels it).
   */
  private async stallDatabase(ms: number): Promise<FaultOutcome> {
    const hold = async (database: DatabaseName, tables: string): Promise<string> => {
      try {
        await this.system.sql(
          database,
          `DO $$ BEGIN LOCK TABLE ${tables} IN ACCESS EXCLUSIVE MODE; PERFORM pg_sleep(${ms / 1_000}); END $$`,
        );
        return `${database} locked`;
      } catch (error) {
        // Taking the locks can deadlock with a service's transaction; PostgreSQL then ends one of the two (40P01).
        if ((error as { code?: unknown }).code === '40P01') return `${database}: the lock deadlocked, stall cut short`;
        throw error;
      }
    };
    const from = Date.now();
    const outcomes = await Promise.all([
      hold('orders', 'orders, order_history, sqs_inbox, sqs_outbox'),
      hold('shipping', 'shipments, label_attempts, carrier_labels, sqs_inbox, sqs_outbox'),
    ]);
    this.timeline.push({ kind: 'database', what: `a ${ms} ms stall`, from, to: Date.now() });
    return { detail: `every table locked ${ms} ms (${outcomes.join(', ')})` };
  }

  /** An event already sent, sent again as a foreign producer would: same body and group, a new deduplication id. */
  private async sendAgain(pick: number): Promise<FaultOutcome> {
    // One row drawn among the rows sent from both databases.
    const sent = async (database: DatabaseName): Promise<number> =>
      (
        await this.system.sql<{ n: number }>(
          database,
          `SELECT count(*)::int AS n FROM sqs_outbox WHERE status = 'sent'`,
        )
      )[0]?.n ?? 0;
    const fromOrders = await sent('orders');
    const total = fromOrders + (await sent('shipping'));
    if (total === 0) return { detail: 'nothing sent yet' };
    const index = Math.min(total - 1, Math.floor(pick * total));
    const database: DatabaseName = index < fromOrders ? 'orders' : 'shipping';
    const [row] = await this.system.sql<{
      queue: string;
      group_id: string;
      body: string;
      attributes: Record<string, string>;
      id: string;
    }>(
      database,
      `SELECT id, queue, group_id, body, attributes FROM sqs_outbox WHERE status = 'sent' ORDER BY seq OFFSET $1 LIMIT 1`,
      [database === 'orders' ? index : index - fromOrders],
    );
    if (!row) return { detail: 'the row picked is gone' };
    const attributes: Record<string, MessageAttributeValue> = Object.fromEntries(
      Object.entries(row.attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
    );
    await this.system.infrastructure.sqs.client.send(
      new SendMessageCommand({
        QueueUrl: this.system.queueUrl(row.queue),
        MessageBody: row.body,
        MessageAttributes: attributes,
        MessageGroupId: row.group_id,
        MessageDeduplicationId: `foreign-${randomUUID()}`,
      }),
    );
    this.duplicated.push(row.id);
    return { detail: `${row.attributes.type ?? 'event'} ${row.id} sent again to ${row.queue}` };
  }

  /** An `order.placed` whose payload breaks the contract: no retry can fix it, so it must reach the DLQ at once. */
  private async sendPoison(): Promise<FaultOutcome> {
    const envelope = createEnvelope({
      id: `chaos-poison-${randomUUID()}`,
      type: 'order.placed',
      payload: { orderId: 42 },
    });
    this.poisonIds.add(envelope.id);
    await this.system.infrastructure.sqs.client.send(
      new SendMessageCommand({
        QueueUrl: this.system.queueUrl('order-events.fifo'),
        MessageBody: JSON.stringify(envelope),
        MessageAttributes: { type: { DataType: 'String', StringValue: envelope.type } },
        MessageGroupId: envelope.id,
        MessageDeduplicationId: envelope.id,
      }),
    );
    return { detail: `poison ${envelope.id} sent` };
  }
}

/**
 * Waits until every service process answers `GET /ready` (after the faults, before the audit); resolves with the
 * ones that still did not at the deadline, with their last answer.
 */
export async function waitUntilAllReady(system: ChaosSystem, timeoutMs: number): Promise<string[]> {
  let unready: string[] = [];
  const check = async (): Promise<boolean> => {
    const answers = await Promise.all(
      system.all().map(async (service) => {
        try {
          const response = await fetch(`${service.url}/ready`, { signal: AbortSignal.timeout(5_000) });
          return response.ok
            ? undefined
            : `${service.name} ${service.url}: ${response.status} ${await response.text()}`;
        } catch (error) {
          return `${service.name} ${service.url}: ${String(error)}`;
        }
      }),
    );
    unready = answers.filter((answer) => answer !== undefined);
    return unready.length === 0;
  };
  await waitFor(check, { timeoutMs, intervalMs: 500, description: 'every service process ready' }).catch(
    () => undefined,
  );
  return unready;
}
