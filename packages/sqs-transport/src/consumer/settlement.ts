import type { SQSClient } from '@aws-sdk/client-sqs';
import { ChangeMessageVisibilityBatchCommand } from '@aws-sdk/client-sqs';
import { groupBy, inBatches } from '../batches.js';
import type { Clock } from '../clock.js';
import { asError, errorCode, errorMessage, LeaseLostError } from '../errors.js';
import type { ConsumerEventBus, ConsumerEvents } from '../events.js';
import type { AckerSettings } from './acker.js';
import { Acker } from './acker.js';
import { moveToDeadLetterQueue } from './dead-letter.js';
import { describeMessage } from './held-message.js';
import type { HeldMessage } from './held-message.js';

/** Why a message goes back to its queue with a delay: its own handler failed, or one before it in its FIFO group. */
export type RetryReason = ConsumerEvents['retried']['reason'];

/**
 * What the consumer decided for a message (or a FIFO group's run of messages); {@link Settlement} carries it out.
 * - `ack`: processed; deleted in batches.
 * - `retry`: back to the queue after `delaySeconds` (visibility change), in the given order.
 * - `deadLetter`: copied to the queue's DLQ with the reason, then deleted.
 * - `requeue`: back to the queue at once (visibility 0), at shutdown.
 */
export type Outcome =
  | { readonly kind: 'ack' }
  | { readonly kind: 'retry'; readonly delaySeconds: number; readonly reason: RetryReason }
  | { readonly kind: 'deadLetter'; readonly reason: Error }
  | { readonly kind: 'requeue' };

/** Builds the {@link Outcome}s. */
export const Outcome = {
  ack: { kind: 'ack' } as Outcome,
  retry: (delaySeconds: number, reason: RetryReason = 'failed'): Outcome => ({ kind: 'retry', delaySeconds, reason }),
  deadLetter: (reason: Error): Outcome => ({ kind: 'deadLetter', reason }),
  requeue: { kind: 'requeue' } as Outcome,
} as const;

/**
 * Carries out outcomes against SQS: deletes (batched per queue by the {@link Acker}), visibility changes (per queue, in
 * chunks of 10, order kept), and the move to the DLQ. The consumer decides; this module owns every call that ends a
 * message's stay. `leave` is the consumer's bookkeeping for a message that leaves (heartbeat, pool slot); settlement
 * calls it before the visibility change (so no heartbeat extends it meanwhile) and after the delete is queued.
 */
export class Settlement {
  private readonly acker: Acker;

  constructor(
    private readonly sqs: SQSClient,
    acker: AckerSettings,
    private readonly clock: Clock,
    private readonly events: ConsumerEventBus,
    private readonly leave: (message: HeldMessage) => void,
  ) {
    this.acker = new Acker(sqs, acker, clock, events);
  }

  /**
   * Carries out `outcome` for `messages` (one message, or a failed message and the rest of its FIFO group, in group
   * order). Resolves true when it was carried out; false when it was not and the messages are still held (a DLQ move
   * that failed: the caller decides again) or left to reappear on their own (a visibility change that failed).
   * An `ack` is done (delete queued, message left) before this returns, so a FIFO lane can advance at once.
   */
  apply(messages: readonly HeldMessage[], outcome: Outcome): Promise<boolean> {
    if (messages.length === 0) return Promise.resolve(true);
    switch (outcome.kind) {
      case 'ack':
        for (const message of messages) this.ack(message);
        return Promise.resolve(true);
      case 'retry':
        return this.retry(messages, outcome.delaySeconds, outcome.reason);
      case 'deadLetter':
        return this.deadLetter(messages[0] as HeldMessage, outcome.reason);
      case 'requeue':
        return this.requeue(messages);
    }
  }

  /** Sends every pending delete and waits for them, retries included. */
  flush(): Promise<void> {
    return this.acker.flush();
  }

  private ack(message: HeldMessage): void {
    this.acker.ack(message.queue.url, message.receiptHandle, message.messageId);
    this.leave(message);
  }

  /** Moves the message to its DLQ and acks it; false when the move failed (the message is still held). */
  private async deadLetter(message: HeldMessage, error: Error): Promise<boolean> {
    const deadLetterQueueUrl = message.queue.deadLetterQueueUrl;
    if (!deadLetterQueueUrl) return false;
    try {
      await moveToDeadLetterQueue(this.sqs, message, deadLetterQueueUrl, error);
    } catch (moveError) {
      this.events.emit('error', { operation: 'dead-letter', queueUrl: message.queue.url, error: asError(moveError) });
      return false;
    }
    this.acker.ack(message.queue.url, message.receiptHandle, message.messageId);
    this.events.emit('dead-lettered', {
      ...describeMessage(message),
      deadLetterQueueUrl,
      errorCode: errorCode(error),
      reason: errorMessage(error),
    });
    this.leave(message);
    return true;
  }

  /** Back to the queue after `delaySeconds`, together and in order, so a FIFO group's order holds. */
  private async retry(messages: readonly HeldMessage[], delaySeconds: number, reason: RetryReason): Promise<boolean> {
    for (const message of messages) this.leave(message);
    let changed = true;
    try {
      await this.changeVisibility(messages, delaySeconds);
    } catch (error) {
      // The messages reappear when their current visibility runs out instead.
      this.events.emit('error', { operation: 'retry', queueUrl: messages[0]?.queue.url ?? '', error: asError(error) });
      changed = false;
    }
    if (this.events.has('retried')) {
      messages.forEach((message, index) =>
        this.events.emit('retried', {
          ...describeMessage(message),
          delaySeconds,
          reason: index === 0 ? reason : 'group-failure',
        }),
      );
    }
    return changed;
  }

  /** Shutdown: back to the queue at once (visibility 0), for another consumer. */
  private async requeue(messages: readonly HeldMessage[]): Promise<boolean> {
    const started = this.clock.now();
    for (const message of messages) this.leave(message);
    try {
      await this.changeVisibility(messages, 0);
    } catch (error) {
      this.events.emit('error', {
        operation: 'requeue',
        queueUrl: messages[0]?.queue.url ?? '',
        error: asError(error),
      });
      return false;
    }
    for (const [queueUrl, requeued] of groupBy(messages, (message) => message.queue.url)) {
      const event = {
        queueUrl,
        messageIds: requeued.map((message) => message.messageId),
        durationMs: this.clock.now() - started,
      };
      this.events.emit('requeued', event);
      this.events.emit('released', event);
    }
    return true;
  }

  /**
   * `ChangeMessageVisibilityBatch` per queue, in chunks of 10, keeping the given order (group order for FIFO).
   * Entries SQS refuses (their receipt handle is gone) reappear on their own; once every chunk was sent, a
   * {@link LeaseLostError} naming the refusals rejects, so the caller reports them.
   */
  private async changeVisibility(messages: readonly HeldMessage[], seconds: number): Promise<void> {
    const refused: string[] = [];
    for (const [queueUrl, list] of groupBy(messages, (message) => message.queue.url)) {
      for (const chunk of inBatches(list)) {
        const result = await this.sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.receiptHandle,
              VisibilityTimeout: seconds,
            })),
          }),
        );
        for (const failure of result.Failed ?? []) {
          const message = chunk[Number(failure.Id)];
          refused.push(`${message?.messageId ?? failure.Id}: ${failure.Code ?? 'refused'}`);
        }
      }
    }
    if (refused.length > 0) {
      throw new LeaseLostError(`SQS refused the visibility change of ${refused.length}: ${refused.join(', ')}`);
    }
  }
}
