import { randomUUID } from 'node:crypto';
import type { MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import type { Clock, RandomSource } from '../clock.js';
import { systemClock } from '../clock.js';
import { Backoff } from '../backoff.js';
import { delay } from '../delay.js';
import { groupBy } from '../batches.js';
import { asError, InvalidOptionError, isRetryable, SendFailedError } from '../errors.js';
import type { OutboxFailure, OutboxMessage, OutboxStore } from '../outbox.js';
import { SendBatcher } from '../producer/batcher.js';
import { maxMessageBytesOption } from '../producer/message-size.js';
import { SQS_MAX_VISIBILITY_TIMEOUT_MS } from '../sqs-limits.js';
import type { SqsConnectionOptions } from '../sqs-client.js';
import { QueueUrls } from '../queue-urls.js';
import { createSqsClient } from '../sqs-client.js';
import { functionOption, integerOption, numberOption, stringOption } from '../validate.js';
import { RelayEventBus } from './relay-events.js';
import { startRowSendSpan } from './relay-tracing.js';

export interface OutboxRelayOptions extends SqsConnectionOptions {
  /** Where the events wait (e.g. `PrismaOutboxStore`). */
  store: OutboxStore;
  /** A ready SQS client. Default: one built from `endpoint` and `region`. */
  client?: SQSClient;
  /** Queue name to URL. Default: resolved once per name with `GetQueueUrl`. */
  queueUrls?: Record<string, string>;
  /** Identifies this relay's claims. Default: a random UUID. */
  owner?: string;
  /** Rows claimed per pass. Default 100. Range 1 to 1,000. */
  batchSize?: number;
  /** How long a claim holds before another relay may take the row, in ms. Default 30,000. Range 1,000 to 43,200,000. */
  leaseMs?: number;
  /** Longest wait between passes when idle, in ms (a NOTIFY wakes the relay sooner). Default 1,000. Range 10 to 60,000. */
  idleWaitMs?: number;
  /** First retry delay of a failed row, in ms; doubles per attempt, with jitter. Default 1,000. Range 0 to 3,600,000. */
  retryBaseDelayMs?: number;
  /** Longest retry delay, in ms. Default 300,000. Range 0 to 86,400,000. */
  retryMaxDelayMs?: number;
  /** Attempts before a row is parked. Default 10. Range 1 to 1,000. */
  maxAttempts?: number;
  /** Sent rows are deleted after this long, in ms. Default 86,400,000 (1 day). Range 0 to 2,592,000,000. */
  sentRetentionMs?: number;
  /** How often sent rows are cleaned up, in ms. Default 60,000. Range 1,000 to 86,400,000. */
  cleanupIntervalMs?: number;
  /** Largest message, in bytes. Default 262,144. Range 1,024 to 1,048,576. */
  maxMessageBytes?: number;
  clock?: Clock;
  random?: RandomSource;
}

export interface RelayPass {
  claimed: number;
  sent: number;
  failed: number;
  parked: number;
}

/**
 * Sends outbox rows to SQS. Each pass claims rows (the store's
 * `FOR UPDATE SKIP LOCKED`, at most the oldest unsent row per group), sends
 * them with `SendMessageBatch` (FIFO group and deduplication id = event id,
 * so a resend after a crash is dropped by SQS within 5 minutes and absorbed by
 * the consumer's inbox after that), then marks them sent. Failures are retried
 * with exponential backoff and jitter; after `maxAttempts`, or when SQS says
 * the message can never be sent, the row is parked with its error. Between
 * passes the relay sleeps until the store reports new rows (LISTEN/NOTIFY) or
 * `idleWaitMs` passes. Several relays can run side by side.
 */
export class OutboxRelay {
  readonly events = new RelayEventBus();
  readonly owner: string;
  private readonly store: OutboxStore;
  private readonly sqs: SQSClient;
  private readonly batcher: SendBatcher;
  private readonly settings: Required<
    Pick<
      OutboxRelayOptions,
      | 'batchSize'
      | 'leaseMs'
      | 'idleWaitMs'
      | 'retryBaseDelayMs'
      | 'retryMaxDelayMs'
      | 'maxAttempts'
      | 'sentRetentionMs'
      | 'cleanupIntervalMs'
    >
  >;
  private readonly clock: Clock;
  /** Reschedules a row whose send failed. */
  private readonly rowBackoff: Backoff;
  /** Paces passes that failed as a whole (the store is away). */
  private readonly passBackoff: Backoff;
  private readonly queueUrls: QueueUrls;
  private readonly stopSignal = new AbortController();
  private loop: Promise<void> | undefined;
  private lastCleanup = 0;

  constructor(options: OutboxRelayOptions) {
    if (typeof options?.store?.claim !== 'function') {
      throw new InvalidOptionError('store', 'must be an OutboxStore (e.g. PrismaOutboxStore)', options?.store);
    }
    this.store = options.store;
    this.owner = options.owner === undefined ? randomUUID() : stringOption('owner', options.owner);
    this.settings = {
      batchSize: integerOption('batchSize', options.batchSize, 100, 1, 1_000),
      leaseMs: integerOption('leaseMs', options.leaseMs, 30_000, 1_000, SQS_MAX_VISIBILITY_TIMEOUT_MS),
      idleWaitMs: integerOption('idleWaitMs', options.idleWaitMs, 1_000, 10, 60_000),
      retryBaseDelayMs: integerOption('retryBaseDelayMs', options.retryBaseDelayMs, 1_000, 0, 3_600_000),
      retryMaxDelayMs: integerOption('retryMaxDelayMs', options.retryMaxDelayMs, 300_000, 0, 86_400_000),
      maxAttempts: integerOption('maxAttempts', options.maxAttempts, 10, 1, 1_000),
      sentRetentionMs: numberOption('sentRetentionMs', options.sentRetentionMs, 86_400_000, 0, 2_592_000_000),
      cleanupIntervalMs: integerOption('cleanupIntervalMs', options.cleanupIntervalMs, 60_000, 1_000, 86_400_000),
    };
    this.clock = options.clock ?? systemClock;
    const random: RandomSource = functionOption('random', options.random, Math.random);
    this.rowBackoff = new Backoff(
      { baseMs: this.settings.retryBaseDelayMs, maxMs: this.settings.retryMaxDelayMs, jitter: 0.5 },
      { clock: this.clock, random },
    );
    // From 200 ms, doubling, up to five idle waits and at most 102.4 s.
    this.passBackoff = new Backoff(
      { baseMs: 200, maxMs: Math.min(5 * this.settings.idleWaitMs, 102_400) },
      { clock: this.clock },
    );
    this.sqs = options.client ?? createSqsClient(options);
    this.queueUrls = new QueueUrls(this.sqs, options.queueUrls);
    this.batcher = new SendBatcher(this.sqs, {
      maxMessageBytes: maxMessageBytesOption(options.maxMessageBytes),
      flushIntervalMs: 0,
      maxAttempts: 1, // the relay owns retries: a failed row is rescheduled in the store, not held in memory
      retryBaseDelayMs: 0,
    });
  }

  /** Starts relaying in the background until `stop()`. */
  start(): void {
    this.loop ??= this.run();
  }

  /** Finishes the current pass and stops. Rows claimed but not sent become claimable again when their claim expires. */
  async stop(): Promise<void> {
    this.stopSignal.abort();
    await this.loop;
  }

  /** One pass: claim, send, mark. Exposed for tests and for running the relay from a scheduler. */
  runOnce(): Promise<RelayPass> {
    return this.pass({ operation: 'claim' });
  }

  /** One pass; when it throws, `step.operation` names the store call that failed (`claim`, then `mark`). */
  private async pass(step: { operation: 'claim' | 'mark' }): Promise<RelayPass> {
    const rows = await this.store.claim(this.owner, this.settings.batchSize, this.settings.leaseMs);
    const pass: RelayPass = { claimed: rows.length, sent: 0, failed: 0, parked: 0 };
    if (rows.length === 0) return pass;

    const started = this.clock.now();
    const outcomes = await Promise.all(rows.map((row) => this.send(row)));
    const sent = rows.filter((_, index) => outcomes[index] === undefined);
    const failures: OutboxFailure[] = [];
    rows.forEach((row, index) => {
      const error = outcomes[index];
      if (error === undefined) return;
      const attempts = row.attempts + 1;
      const park = attempts >= this.settings.maxAttempts || !isRetryable(error) || isSenderFault(error);
      if (park) {
        pass.parked += 1;
        this.events.emit('parked', { id: row.id, queue: row.queue, error, attempts });
        failures.push({ id: row.id, error: `${error.name}: ${error.message}`, retryAt: null });
      } else {
        pass.failed += 1;
        const retryAt = new Date(this.clock.now() + this.rowBackoff.delayMs(attempts));
        this.events.emit('failed', { id: row.id, queue: row.queue, error, attempts, retryAt });
        failures.push({ id: row.id, error: `${error.name}: ${error.message}`, retryAt });
      }
    });

    step.operation = 'mark';
    if (sent.length > 0) {
      for (const [queue, rows] of groupBy(sent, (row) => row.queue)) {
        this.events.emit('sent', { ids: rows.map((row) => row.id), queue, durationMs: this.clock.now() - started });
      }
      const ids = sent.map((row) => row.id);
      await this.store.markSent(this.owner, ids);
      this.events.emit('marked', { ids });
      pass.sent = ids.length;
    }
    if (failures.length > 0) await this.store.markFailed(this.owner, failures);
    return pass;
  }

  /** Deletes sent rows older than `sentRetentionMs`; the relay also runs it every `cleanupIntervalMs`. */
  async cleanup(): Promise<number> {
    const count = await this.store.deleteSentBefore(new Date(this.clock.now() - this.settings.sentRetentionMs));
    this.lastCleanup = this.clock.now();
    if (count > 0) this.events.emit('cleaned', { count });
    return count;
  }

  private async run(): Promise<void> {
    const signal = this.stopSignal.signal;
    let failures = 0;
    while (!signal.aborted) {
      let pass: RelayPass | undefined;
      const step = { operation: 'claim' as 'claim' | 'mark' };
      try {
        pass = await this.pass(step);
        failures = 0;
      } catch (error) {
        failures += 1;
        this.events.emit('error', { operation: step.operation, error: asError(error) });
      }
      if (this.clock.now() - this.lastCleanup >= this.settings.cleanupIntervalMs) {
        await this.cleanup().catch((error: unknown) =>
          this.events.emit('error', { operation: 'cleanup', error: asError(error) }),
        );
      }
      if (signal.aborted) break;
      if (failures > 0) {
        await this.passBackoff.wait(failures, signal);
      } else if (pass && pass.claimed < this.settings.batchSize) {
        await this.waitForWork(signal);
      }
    }
  }

  private async waitForWork(signal: AbortSignal): Promise<void> {
    if (!this.store.waitForWork) {
      await delay(this.settings.idleWaitMs, signal);
      return;
    }
    try {
      await this.store.waitForWork(this.settings.idleWaitMs, signal);
    } catch (error) {
      this.events.emit('error', { operation: 'wait', error: asError(error) });
      await delay(this.settings.idleWaitMs, signal);
    }
  }

  /** Sends one row; resolves undefined on success or the error. */
  private async send(row: OutboxMessage): Promise<Error | undefined> {
    const span = startRowSendSpan(row, toMessageAttributes(row.attributes));
    try {
      const queueUrl = await this.queueUrls.resolve(row.queue);
      const fifo = queueUrl.endsWith('.fifo');
      const result = await this.batcher.send({
        queueUrl,
        body: row.body,
        attributes: span.attributes,
        ...(fifo ? { groupId: row.groupId ?? row.id, deduplicationId: row.deduplicationId ?? row.id } : {}),
      });
      span.succeeded(result.messageId);
      return undefined;
    } catch (error) {
      span.failed(error);
      return asError(error);
    }
  }
}

function toMessageAttributes(attributes: Record<string, string>): Record<string, MessageAttributeValue> {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
  );
}

function isSenderFault(error: Error): boolean {
  return error instanceof SendFailedError && error.senderFault;
}
