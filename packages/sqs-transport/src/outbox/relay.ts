import { randomUUID } from 'node:crypto';
import type { MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import type { Clock, RandomSource } from '../clock.js';
import { systemClock } from '../clock.js';
import { Backoff } from '../backoff.js';
import { delay } from '../delay.js';
import { groupBy } from '../batches.js';
import { asError, InvalidOptionError, isRetryable, MessageTooLargeError, SendFailedError } from '../errors.js';
import type { OutboxFailure, OutboxMessage, OutboxStore } from '../outbox.js';
import { firstRefusedCharacter } from '../producer/message-contents.js';
import { maxMessageBytesOption, messageSize } from '../producer/message-size.js';
import type { SqsConnectionOptions } from '../sqs-client.js';
import { QueueUrls } from '../queue-urls.js';
import { createSqsClient } from '../sqs-client.js';
import { functionOption, integerIn, numberIn, stringOption } from '../validate.js';
import type { OrderedItem, OrderedOutcome } from './group-ordered-send.js';
import { sendInGroupOrder } from './group-ordered-send.js';
import { RELAY_OPTION_RANGES as R } from './relay-defaults.js';
import { RelayEventBus } from './relay-events.js';
import { startRowSendSpan } from './relay-tracing.js';
import type { SendSpan } from '../tracing/send-span.js';

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
  /**
   * Most consecutive rows of one message group claimed in one pass; they go out in order, up to 10 per
   * `SendMessageBatch`. Default 100 (never more than `batchSize`). Range 1 to 1,000. 1 sends a group one event per
   * pass, so two events of a group never share a call: SQS can then never accept a later event of a group in the same
   * call that refused an earlier one, at the cost of one pass per event for a busy group.
   */
  maxPerGroup?: number;
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
  /** Rows not sent (claim released) because an earlier row of their group failed in this pass. */
  held: number;
}

/**
 * Sends outbox rows to SQS. Each pass claims rows (the store's
 * `FOR UPDATE SKIP LOCKED`; per group a run of consecutive rows from its
 * oldest unsent row), sends them in order with `SendMessageBatch` (FIFO group
 * and deduplication id = event id, so a resend after a crash is dropped by SQS
 * within 5 minutes and absorbed by the consumer's inbox after that), then marks
 * them sent. When a row fails, the later rows of its group are not sent (or,
 * if SQS took them in the same call, not marked) and their claim is released:
 * they follow the failed row when it is retried. Failures are retried
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
  private readonly maxMessageBytes: number;
  private readonly settings: Required<
    Pick<
      OutboxRelayOptions,
      | 'batchSize'
      | 'maxPerGroup'
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
      batchSize: integerIn('batchSize', options.batchSize, R.batchSize),
      maxPerGroup: integerIn('maxPerGroup', options.maxPerGroup, R.maxPerGroup),
      leaseMs: integerIn('leaseMs', options.leaseMs, R.leaseMs),
      idleWaitMs: integerIn('idleWaitMs', options.idleWaitMs, R.idleWaitMs),
      retryBaseDelayMs: integerIn('retryBaseDelayMs', options.retryBaseDelayMs, R.retryBaseDelayMs),
      retryMaxDelayMs: integerIn('retryMaxDelayMs', options.retryMaxDelayMs, R.retryMaxDelayMs),
      maxAttempts: integerIn('maxAttempts', options.maxAttempts, R.maxAttempts),
      sentRetentionMs: numberIn('sentRetentionMs', options.sentRetentionMs, R.sentRetentionMs),
      cleanupIntervalMs: integerIn('cleanupIntervalMs', options.cleanupIntervalMs, R.cleanupIntervalMs),
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
    this.maxMessageBytes = maxMessageBytesOption(options.maxMessageBytes);
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
    const { batchSize, maxPerGroup, leaseMs } = this.settings;
    const rows = await this.store.claim(this.owner, batchSize, leaseMs, Math.min(maxPerGroup, batchSize));
    const pass: RelayPass = { claimed: rows.length, sent: 0, failed: 0, parked: 0, held: 0 };
    if (rows.length === 0) return pass;

    const started = this.clock.now();
    const spans = new Map<string, SendSpan>();
    const items = await Promise.all(rows.map((row) => this.prepare(row, spans)));
    const outcomes = await sendInGroupOrder(this.sqs, items, this.maxMessageBytes);
    endSendSpans(spans, outcomes);
    const sent: OutboxMessage[] = [];
    const held: string[] = [];
    const failures: OutboxFailure[] = [];
    for (const row of rows) {
      const outcome = outcomes.get(row.id);
      if (outcome?.status === 'sent') {
        sent.push(row);
      } else if (outcome?.status === 'held') {
        held.push(row.id);
        if (outcome.acceptedBySqs)
          this.events.emit('overtook', { id: row.id, queue: row.queue, behind: outcome.behind });
      } else {
        const error = outcome?.error ?? new SendFailedError(row.queue, undefined, 'not sent');
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
      }
    }

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
    if (held.length > 0) {
      // Without release() the claims simply expire after leaseMs; the failed row blocks the group meanwhile anyway.
      await this.store.release?.(this.owner, held);
      pass.held = held.length;
    }
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

  /**
   * The row as an entry to send, or the error that keeps it from being sent: an unknown queue, a message too large or
   * with characters SQS refuses. Checked here, so that SQS never refuses an entry for its contents in the middle of a
   * group's call while it takes the later ones.
   */
  private async prepare(row: OutboxMessage, spans: Map<string, SendSpan>): Promise<OrderedItem> {
    const groupKey = row.groupId === null ? null : `${row.queue}\u0000${row.groupId}`;
    const span = startRowSendSpan(row, toMessageAttributes(row.attributes));
    spans.set(row.id, span);
    try {
      const queueUrl = await this.queueUrls.resolve(row.queue);
      const fifo = queueUrl.endsWith('.fifo');
      const { attributes } = span;
      const size = messageSize(row.body, attributes);
      if (size > this.maxMessageBytes)
        return { id: row.id, groupKey, error: new MessageTooLargeError(size, this.maxMessageBytes) };
      const refused = firstRefusedCharacter(row.body);
      if (refused >= 0) {
        const detail = `the body has a character SQS refuses at index ${refused} (U+${(row.body.codePointAt(refused) ?? 0).toString(16).toUpperCase().padStart(4, '0')})`;
        return {
          id: row.id,
          groupKey,
          error: new SendFailedError(queueUrl, 'InvalidMessageContents', detail, { senderFault: true }),
        };
      }
      const message = {
        queueUrl,
        body: row.body,
        attributes,
        ...(fifo ? { groupId: row.groupId ?? row.id, deduplicationId: row.deduplicationId ?? row.id } : {}),
      };
      return { id: row.id, groupKey, message, size };
    } catch (error) {
      return { id: row.id, groupKey, error: asError(error) };
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

/** Ends each row's send span with what became of it (a held row did not count as sent: its span says why). */
function endSendSpans(spans: ReadonlyMap<string, SendSpan>, outcomes: ReadonlyMap<string, OrderedOutcome>): void {
  for (const [id, span] of spans) {
    const outcome = outcomes.get(id);
    if (outcome?.status === 'sent') span.succeeded(undefined);
    else if (outcome?.status === 'held')
      span.failed(new Error(`held behind outbox row ${outcome.behind} of its group`));
    else span.failed(outcome?.error ?? new Error('not sent'));
  }
}
