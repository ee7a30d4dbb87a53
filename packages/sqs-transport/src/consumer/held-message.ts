import type { Message } from '@aws-sdk/client-sqs';
import type { MessageEventBase } from '../events.js';
import type { QueueRuntime } from './queue-resolver.js';

/**
 * `waiting` for a handler slot or behind its FIFO group; `running` its handler; `outage`: its handler failed because a
 * dependency is unavailable and it waits to run again in process (see `OutageGate`); `settled`: acked, retried,
 * requeued at shutdown or dead-lettered.
 */
export type HeldState = 'waiting' | 'running' | 'outage' | 'settled';

/**
 * A received message from the moment it leaves the poller until it is acked,
 * returned or dead-lettered. The heartbeat keeps it invisible the whole time.
 */
export class HeldMessage {
  state: HeldState = 'waiting';
  /** When its visibility runs out, as far as this consumer knows (ms since the epoch). */
  visibleUntil: number;
  /** Set when processing must stop; handlers see it as their AbortSignal. */
  readonly abortController = new AbortController();
  /** Called after each successful visibility extension (lease-mode inboxes renew their own lease). */
  onExtended: (() => void) | undefined;
  startedAt: number | undefined;
  /** The event type, once the envelope is parsed (or from the `type` attribute). */
  eventType: string | undefined;
  /** Failures in a row of its handler because a dependency is unavailable (paces its in-process retries). */
  outageAttempts = 0;

  constructor(
    readonly queue: QueueRuntime,
    readonly message: Message,
    readonly receivedAt: number,
  ) {
    this.visibleUntil = receivedAt + queue.visibilityTimeoutSeconds * 1000;
  }

  get messageId(): string {
    return this.message.MessageId ?? '';
  }

  get receiptHandle(): string {
    return this.message.ReceiptHandle ?? '';
  }

  /** FIFO message group, when the queue is FIFO. */
  get groupId(): string | undefined {
    return this.message.Attributes?.MessageGroupId;
  }

  get deduplicationId(): string | undefined {
    return this.message.Attributes?.MessageDeduplicationId;
  }

  /** How many times SQS has delivered this message, this delivery included. */
  get receiveCount(): number {
    const raw = this.message.Attributes?.ApproximateReceiveCount;
    const count = raw === undefined ? 1 : Number.parseInt(raw, 10);
    return Number.isFinite(count) && count > 0 ? count : 1;
  }

  /** The `type` message attribute, if the producer set it. */
  get typeAttribute(): string | undefined {
    return this.message.MessageAttributes?.type?.StringValue;
  }

  get signal(): AbortSignal {
    return this.abortController.signal;
  }

  abort(reason: Error): void {
    if (!this.abortController.signal.aborted) this.abortController.abort(reason);
  }
}

/** The fields every per-message event carries. */
export function describeMessage(message: HeldMessage): MessageEventBase {
  return {
    queueUrl: message.queue.url,
    messageId: message.messageId,
    eventType: message.eventType ?? message.typeAttribute,
    groupId: message.groupId,
    receiveCount: message.receiveCount,
  };
}
