import type { MessageAttributeValue, SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { Backoff } from '../backoff.js';
import { MessageTooLargeError, SendFailedError, TransportClosedError, errorMessage } from '../errors.js';
import { SQS_MAX_BATCH_ENTRIES } from '../sqs-limits.js';
import { messageSize } from './message-size.js';

/** One message to send. */
export interface OutgoingMessage {
  queueUrl: string;
  body: string;
  attributes?: Record<string, MessageAttributeValue>;
  /** Required on FIFO queues. */
  groupId?: string;
  /** FIFO deduplication id; the envelope's event id, so resends within 5 minutes are dropped by SQS. */
  deduplicationId?: string;
  /** Standard queues only, 0 to 900. */
  delaySeconds?: number;
}

export interface SendResult {
  messageId: string;
  /** FIFO queues: SQS's sequence number. */
  sequenceNumber: string | undefined;
}

export interface BatcherSettings {
  /** Largest message, and largest batch, in bytes. */
  maxMessageBytes: number;
  /** How long a send may wait for others to fill its batch, in ms (0: until the current tick ends). */
  flushIntervalMs: number;
  /** Attempts per entry for failures that are not the sender's fault. */
  maxAttempts: number;
  /** Delay before the first retry, in ms; doubles per attempt. */
  retryBaseDelayMs: number;
}

interface Pending {
  message: OutgoingMessage;
  size: number;
  attempts: number;
  resolve: (result: SendResult) => void;
  reject: (error: Error) => void;
}

/**
 * Groups sends into `SendMessageBatch` calls (10 entries, and no more bytes
 * than one message may have), per queue, and reports each entry's own result:
 * every `send` resolves or rejects on its own. Entries that fail through no
 * fault of the sender are retried with backoff; FIFO entries of one group keep
 * their order because a batch only leaves after the previous batch of its queue
 * has been answered.
 */
export class SendBatcher {
  private readonly buffers = new Map<string, Pending[]>();
  private readonly sending = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private closed = false;
  private readonly backoff: Backoff;

  constructor(
    private readonly sqs: SQSClient,
    private readonly settings: BatcherSettings,
  ) {
    this.backoff = new Backoff({ baseMs: settings.retryBaseDelayMs });
  }

  /** Queues a message; resolves with its message id once SQS accepted it. */
  send(message: OutgoingMessage): Promise<SendResult> {
    if (this.closed) return Promise.reject(new TransportClosedError('SendBatcher.send()'));
    const size = messageSize(message.body, message.attributes);
    if (size > this.settings.maxMessageBytes) {
      return Promise.reject(new MessageTooLargeError(size, this.settings.maxMessageBytes));
    }
    return new Promise((resolve, reject) => {
      this.enqueue({ message, size, attempts: 0, resolve, reject });
    });
  }

  /** Sends everything queued and waits until every entry has its result. */
  async flush(): Promise<void> {
    while (this.buffers.size > 0 || this.sending.size > 0) {
      for (const queueUrl of [...this.buffers.keys()]) this.drain(queueUrl);
      await Promise.all([...this.sending.values()]);
    }
  }

  /** Flushes, then refuses new sends. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private enqueue(pending: Pending): void {
    const queueUrl = pending.message.queueUrl;
    const buffer = this.buffers.get(queueUrl) ?? [];
    buffer.push(pending);
    this.buffers.set(queueUrl, buffer);
    if (buffer.length >= SQS_MAX_BATCH_ENTRIES) this.drain(queueUrl);
    else this.schedule(queueUrl);
  }

  private schedule(queueUrl: string): void {
    if (this.timers.has(queueUrl)) return;
    const timer = setTimeout(() => {
      this.timers.delete(queueUrl);
      this.drain(queueUrl);
    }, this.settings.flushIntervalMs);
    this.timers.set(queueUrl, timer);
  }

  /** Starts the queue's sender loop unless it runs already; it takes batches until the buffer is empty. */
  private drain(queueUrl: string): void {
    const timer = this.timers.get(queueUrl);
    if (timer) clearTimeout(timer);
    this.timers.delete(queueUrl);
    if (this.sending.has(queueUrl)) return;
    const loop = (async () => {
      for (;;) {
        const batch = this.takeBatch(queueUrl);
        if (batch.length === 0) break;
        await this.sendBatch(queueUrl, batch);
      }
    })().finally(() => {
      this.sending.delete(queueUrl);
      // A full batch queued after the loop's last look but before this point found the loop still
      // registered, so its drain() cancelled the timer and left it to the loop: send it now.
      if (this.buffers.has(queueUrl) && !this.timers.has(queueUrl)) this.drain(queueUrl);
    });
    this.sending.set(queueUrl, loop);
  }

  private takeBatch(queueUrl: string): Pending[] {
    const buffer = this.buffers.get(queueUrl);
    if (!buffer || buffer.length === 0) return [];
    const batch: Pending[] = [];
    let bytes = 0;
    while (buffer.length > 0 && batch.length < SQS_MAX_BATCH_ENTRIES) {
      const next = buffer[0] as Pending;
      if (batch.length > 0 && bytes + next.size > this.settings.maxMessageBytes) break;
      batch.push(next);
      bytes += next.size;
      buffer.shift();
    }
    if (buffer.length === 0) this.buffers.delete(queueUrl);
    return batch;
  }

  private async sendBatch(queueUrl: string, batch: Pending[]): Promise<void> {
    const retry: Pending[] = [];
    try {
      const result = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((pending, index) => toBatchEntry(pending.message, String(index))),
        }),
      );
      for (const success of result.Successful ?? []) {
        batch[Number(success.Id)]?.resolve({
          messageId: success.MessageId ?? '',
          sequenceNumber: success.SequenceNumber,
        });
      }
      for (const failure of result.Failed ?? []) {
        const pending = batch[Number(failure.Id)];
        if (!pending) continue;
        if (failure.SenderFault) {
          pending.reject(
            new SendFailedError(queueUrl, failure.Code, failure.Message ?? 'refused', { senderFault: true }),
          );
        } else {
          retry.push(pending);
        }
      }
    } catch (error) {
      if (isSenderFault(error)) {
        for (const pending of batch)
          pending.reject(
            new SendFailedError(queueUrl, errorName(error), errorMessage(error), { cause: error, senderFault: true }),
          );
        return;
      }
      retry.push(...batch);
    }
    if (retry.length === 0) return;
    const exhausted = retry.filter((pending) => pending.attempts + 1 >= this.settings.maxAttempts);
    for (const pending of exhausted) {
      pending.reject(new SendFailedError(queueUrl, undefined, `gave up after ${pending.attempts + 1} attempts`));
    }
    const again = retry.filter((pending) => pending.attempts + 1 < this.settings.maxAttempts);
    if (again.length === 0) return;
    const attempt = Math.max(...again.map((pending) => pending.attempts)) + 1;
    await this.backoff.wait(attempt);
    // Retried entries go to the front, in their original order, so FIFO groups stay in order.
    const buffer = this.buffers.get(queueUrl) ?? [];
    for (const pending of again) pending.attempts += 1;
    this.buffers.set(queueUrl, [...again, ...buffer]);
  }
}

/** The `SendMessageBatch` entry for a message; `id` must be unique within its batch. */
export function toBatchEntry(message: OutgoingMessage, id: string): SendMessageBatchRequestEntry {
  return {
    Id: id,
    MessageBody: message.body,
    ...(message.attributes ? { MessageAttributes: message.attributes } : {}),
    ...(message.groupId !== undefined ? { MessageGroupId: message.groupId } : {}),
    ...(message.deduplicationId !== undefined ? { MessageDeduplicationId: message.deduplicationId } : {}),
    ...(message.delaySeconds !== undefined ? { DelaySeconds: message.delaySeconds } : {}),
  };
}

/** Whether a failed SQS call was refused for the request itself (not throttling, not an abort): resending cannot help. */
export function isSenderFault(error: unknown): boolean {
  const fault = (error as { $fault?: string } | undefined)?.$fault;
  const name = errorName(error);
  return fault === 'client' && name !== 'ThrottlingException' && name !== 'RequestThrottled' && name !== 'AbortError';
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}
