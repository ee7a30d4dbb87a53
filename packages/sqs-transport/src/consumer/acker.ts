import type { SQSClient } from '@aws-sdk/client-sqs';
import { DeleteMessageBatchCommand } from '@aws-sdk/client-sqs';
import { Backoff } from '../backoff.js';
import { inBatches } from '../batches.js';
import type { Clock } from '../clock.js';
import { asError, DeleteFailedError } from '../errors.js';
import type { ConsumerEventBus } from '../events.js';
import { SQS_MAX_BATCH_ENTRIES } from '../sqs-limits.js';

export interface AckerSettings {
  /** How long a delete may wait for others to fill its batch, in ms. */
  flushIntervalMs: number;
  /** Delay before the first retry of a failed delete, in ms; doubles per attempt. */
  retryBaseDelayMs: number;
  /** Attempts per entry before giving up (the message is then redelivered; the inbox absorbs it). */
  maxAttempts: number;
}

interface PendingDelete {
  receiptHandle: string;
  messageId: string;
  attempts: number;
}

/** Codes for which retrying a delete cannot help. */
const FINAL_CODES = new Set(['ReceiptHandleIsInvalid', 'InvalidParameterValue', 'MessageNotInflight']);

/**
 * Deletes processed messages in `DeleteMessageBatch` calls of up to 10,
 * per queue. A batch leaves when it is full or `flushIntervalMs` after its
 * first entry. Entries that fail for a transient reason are retried.
 */
export class Acker {
  private readonly buffers = new Map<string, PendingDelete[]>();
  private readonly timers = new Map<string, NodeJS.Timeout | NodeJS.Immediate>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly backoff: Backoff;

  constructor(
    private readonly sqs: SQSClient,
    private readonly settings: AckerSettings,
    private readonly clock: Clock,
    private readonly events: ConsumerEventBus,
  ) {
    this.backoff = new Backoff({ baseMs: settings.retryBaseDelayMs }, { clock });
  }

  ack(queueUrl: string, receiptHandle: string, messageId: string): void {
    this.enqueue(queueUrl, { receiptHandle, messageId, attempts: 0 });
  }

  /** Sends everything buffered and waits for every delete in flight, retries included. */
  async flush(): Promise<void> {
    while (this.buffers.size > 0 || this.inFlight.size > 0) {
      for (const queueUrl of [...this.buffers.keys()]) this.send(queueUrl);
      await Promise.all([...this.inFlight]);
    }
  }

  private enqueue(queueUrl: string, entry: PendingDelete): void {
    let buffer = this.buffers.get(queueUrl);
    if (!buffer) {
      buffer = [];
      this.buffers.set(queueUrl, buffer);
    }
    buffer.push(entry);
    if (buffer.length >= SQS_MAX_BATCH_ENTRIES) {
      this.send(queueUrl);
    } else if (!this.timers.has(queueUrl)) {
      // 0 ms: flush once the current burst of completions has run (setImmediate), so
      // FIFO groups, which stay blocked until their message is deleted, wait no longer.
      const timer =
        this.settings.flushIntervalMs === 0
          ? setImmediate(() => this.send(queueUrl))
          : setTimeout(() => this.send(queueUrl), this.settings.flushIntervalMs);
      this.timers.set(queueUrl, timer);
    }
  }

  private send(queueUrl: string): void {
    const timer = this.timers.get(queueUrl);
    if (timer) {
      clearTimeout(timer as NodeJS.Timeout);
      clearImmediate(timer as NodeJS.Immediate);
    }
    this.timers.delete(queueUrl);
    const buffer = this.buffers.get(queueUrl);
    if (!buffer || buffer.length === 0) return;
    this.buffers.delete(queueUrl);
    for (const batch of inBatches(buffer)) {
      const call = this.deleteBatch(queueUrl, batch);
      this.inFlight.add(call);
      void call.finally(() => this.inFlight.delete(call));
    }
  }

  private async deleteBatch(queueUrl: string, batch: PendingDelete[]): Promise<void> {
    const started = this.clock.now();
    const retry: PendingDelete[] = [];
    let deleted = 0;
    try {
      const result = await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((entry, index) => ({ Id: String(index), ReceiptHandle: entry.receiptHandle })),
        }),
      );
      deleted = result.Successful?.length ?? 0;
      for (const failure of result.Failed ?? []) {
        const entry = batch[Number(failure.Id)];
        if (!entry) continue;
        if (failure.SenderFault || FINAL_CODES.has(failure.Code ?? '')) {
          this.giveUp(queueUrl, new DeleteFailedError(queueUrl, failure.Code, failure.Message ?? 'refused'));
        } else {
          retry.push(entry);
        }
      }
    } catch (error) {
      this.events.emit('error', { operation: 'delete', queueUrl, error: asError(error) });
      retry.push(...batch);
    }
    if (deleted > 0) this.events.emit('deleted', { queueUrl, count: deleted, durationMs: this.clock.now() - started });
    if (retry.length === 0) return;
    const attempt = Math.max(...retry.map((entry) => entry.attempts)) + 1;
    await this.backoff.wait(attempt);
    for (const entry of retry) {
      entry.attempts += 1;
      if (entry.attempts >= this.settings.maxAttempts) {
        this.giveUp(queueUrl, new DeleteFailedError(queueUrl, undefined, `gave up after ${entry.attempts} attempts`));
      } else {
        this.enqueue(queueUrl, entry);
      }
    }
  }

  private giveUp(queueUrl: string, error: DeleteFailedError): void {
    this.events.emit('error', { operation: 'delete', queueUrl, error });
  }
}
