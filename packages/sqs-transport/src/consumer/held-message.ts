import type { Message } from '@aws-sdk/client-sqs';
import type { MessageEventBase } from '../events.js';
import type { Envelope } from '../producer/envelope.js';
import { TRACE_ATTRIBUTES, traceIdOf } from '../tracing/trace-context.js';
import { Lease } from './lease.js';
import { parseEnvelope } from './parse-envelope.js';
import type { QueueRuntime } from './queue-resolver.js';

/**
 * `waiting` for a handler slot or behind its FIFO group; `running` its handler; `outage`: its handler failed because a
 * dependency is unavailable and it waits to run again in process (see `OutageGate`); `settled`: acked, retried,
 * requeued at shutdown or dead-lettered.
 */
export type HeldState = 'waiting' | 'running' | 'outage' | 'settled';

/**
 * A received message from the moment it leaves the poller until it is acked,
 * returned or dead-lettered: read-only facts about it, plus its {@link Lease}
 * (kept by the heartbeat the whole time), and where it is on its path (`state`).
 * The stages (lanes, heartbeat, outage gate) only read it; the consumer moves it
 * along with the `mark*` methods.
 */
export class HeldMessage {
  private current: HeldState = 'waiting';
  /** Its visibility, AbortSignal and extension listeners. */
  readonly lease: Lease;
  private envelope: Envelope | undefined;

  constructor(
    readonly queue: QueueRuntime,
    readonly message: Message,
    readonly receivedAt: number,
  ) {
    this.lease = new Lease(receivedAt + queue.visibilityTimeoutSeconds * 1000);
  }

  /** Where the message is on its path; see {@link HeldState}. */
  get state(): HeldState {
    return this.current;
  }

  /** Its handler starts (from `waiting`). */
  markRunning(): void {
    this.current = 'running';
  }

  /** Its handler found a dependency unavailable: it stays held and runs again in process. */
  markOutage(): void {
    this.current = 'outage';
  }

  /** Back from an outage hold: it waits for a handler slot again. */
  markWaiting(): void {
    this.current = 'waiting';
  }

  /** It leaves the consumer (acked, retried, requeued or dead-lettered). False when it had already left. */
  markSettled(): boolean {
    if (this.current === 'settled') return false;
    this.current = 'settled';
    return true;
  }

  /** When its visibility runs out, as far as this consumer knows (ms since the epoch); see {@link Lease}. */
  get visibleUntil(): number {
    return this.lease.visibleUntil;
  }

  /**
   * The body as an envelope, parsed on the first call (throws `InvalidJsonError` or `InvalidEnvelopeError`, both
   * non-retryable).
   */
  decodeEnvelope(): Envelope {
    this.envelope ??= parseEnvelope(this.message.Body);
    return this.envelope;
  }

  /** The event type: the `type` attribute, else the envelope's once it was decoded. */
  get eventType(): string | undefined {
    return this.typeAttribute ?? this.envelope?.type;
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

  /** The envelope's event id, once {@link decodeEnvelope} succeeded. */
  get eventId(): string | undefined {
    return this.envelope?.id;
  }

  /** The envelope's correlation id, once {@link decodeEnvelope} succeeded. */
  get correlationId(): string | undefined {
    return this.envelope?.correlationId;
  }

  /** The trace id of the `traceparent` attribute, if the producer set one. */
  get traceId(): string | undefined {
    return traceIdOf(this.message.MessageAttributes?.[TRACE_ATTRIBUTES.traceparent]?.StringValue);
  }

  /** When SQS accepted the message (`SentTimestamp`, ms since the epoch), when the receive asked for it. */
  get sentAt(): number | undefined {
    const raw = this.message.Attributes?.SentTimestamp;
    const sentAt = raw === undefined ? Number.NaN : Number(raw);
    return Number.isFinite(sentAt) ? sentAt : undefined;
  }

  /** Fires when processing must stop (the lease's signal); handlers see it as their AbortSignal. */
  get signal(): AbortSignal {
    return this.lease.signal;
  }
}

/** The fields every per-message event carries. */
export function describeMessage(message: HeldMessage): MessageEventBase {
  return {
    queueUrl: message.queue.url,
    messageId: message.messageId,
    eventType: message.eventType,
    groupId: message.groupId,
    receiveCount: message.receiveCount,
    eventId: message.eventId,
    correlationId: message.correlationId,
    traceId: message.traceId,
    sentAt: message.sentAt,
  };
}
