import { EventBus } from './event-bus.js';

/** Fields every per-message event carries. */
export interface MessageEventBase {
  queueUrl: string;
  messageId: string;
  /** The event type from the `type` attribute or the envelope, when known. */
  eventType: string | undefined;
  /** FIFO message group, if any. */
  groupId: string | undefined;
  /** SQS's ApproximateReceiveCount for this delivery. */
  receiveCount: number;
  /** The envelope's event id, once the body was decoded (the handler ran or failed); undefined before. */
  eventId: string | undefined;
  /** The envelope's correlation id, once the body was decoded. */
  correlationId: string | undefined;
  /** The trace id of the producer's trace context (`traceparent` attribute), when the message carries one. */
  traceId: string | undefined;
  /** When SQS accepted the message (`SentTimestamp`, ms since the epoch), when known. */
  sentAt: number | undefined;
}

/**
 * What the consumer reports, for logs and metrics. Attach with
 * `server.on('processed', (event) => ...)`. Durations are in milliseconds.
 */
export interface ConsumerEvents {
  /** A message was received and is now held. */
  received: MessageEventBase;
  /** The handler succeeded (or the inbox found a duplicate) and the message is queued for deletion. */
  processed: MessageEventBase & { durationMs: number; duplicate: boolean };
  /**
   * The handler (or its inbox commit) failed. Followed by `retried` or `dead-lettered`, or by `held` when a
   * dependency is unavailable (`outage`).
   */
  failed: MessageEventBase & { durationMs: number; error: Error; retryable: boolean; outage: boolean };
  /**
   * The handler failed because a dependency is unavailable (`DependencyUnavailableError`, or `isDependencyOutage`):
   * the message stays held and invisible, and runs again in process after `delayMs` (sooner once another held message
   * succeeds). Its receive count does not grow; polling is paused meanwhile.
   */
  held: MessageEventBase & { attempt: number; delayMs: number; error: Error };
  /** A dependency outage began: polling stops until every held message has run successfully (or left). */
  'polling-paused': { error: Error };
  /** The outage is over: polling goes on. `durationMs` is how long it was paused. */
  'polling-resumed': { durationMs: number };
  /** The message was made visible again after a backoff. */
  retried: MessageEventBase & { delaySeconds: number; reason: 'failed' | 'group-failure' };
  /** The message was moved to its DLQ at once. */
  'dead-lettered': MessageEventBase & { deadLetterQueueUrl: string; errorCode: string; reason: string };
  /**
   * The message's lease is lost (SQS refused an extension, or its visibility ran out first): its handler's signal
   * fired, its inbox commit is refused, and another consumer may receive it.
   */
  'lease-lost': MessageEventBase & { error: Error };
  /** The heartbeat extended the visibility of these messages. */
  extended: { queueUrl: string; messageIds: string[]; durationMs: number };
  /** Unstarted messages were requeued (visibility 0) at shutdown, for another consumer. */
  requeued: { queueUrl: string; messageIds: string[]; durationMs: number };
  /** @deprecated The old name of `requeued`, still emitted with the same payload. */
  released: { queueUrl: string; messageIds: string[]; durationMs: number };
  /** Processed messages were deleted from the queue. */
  deleted: { queueUrl: string; count: number; durationMs: number };
  /** A transport call failed (receive, extend, delete, requeue). The transport retries; this is for visibility. */
  error: {
    operation: 'receive' | 'extend' | 'delete' | 'requeue' | 'dead-letter' | 'retry';
    queueUrl: string;
    error: Error;
  };
}

export type ConsumerEventName = keyof ConsumerEvents;
export type ConsumerEventListener<K extends ConsumerEventName> = (event: ConsumerEvents[K]) => void;

/** The consumer's events ({@link ConsumerEvents}); listener errors never break processing. */
export class ConsumerEventBus extends EventBus<ConsumerEvents> {}
