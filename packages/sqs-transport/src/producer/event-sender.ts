import type { MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import { context } from '@opentelemetry/api';
import { InvalidOptionError, MissingGroupIdError, NoRouteError } from '../errors.js';
import type { SqsConnectionOptions } from '../sqs-client.js';
import { QueueUrls, queueNameOf } from '../queue-urls.js';
import { createSqsClient } from '../sqs-client.js';
import { integerOption } from '../validate.js';
import type { SendResult } from './batcher.js';
import { SendBatcher } from './batcher.js';
import type { Envelope, EnvelopeInput } from './envelope.js';
import { createEnvelope } from './envelope.js';
import { maxMessageBytesOption } from './message-size.js';
import { startSendSpan } from '../tracing/send-span.js';
import { contextFromTraceAttributes } from '../tracing/trace-context.js';

export interface EventSenderOptions extends SqsConnectionOptions {
  /** A ready SQS client. Default: one built from `endpoint` and `region`. */
  client?: SQSClient;
  /**
   * Where each event type goes: a queue URL or a queue name (resolved once with
   * `GetQueueUrl`). `'*'` catches every other type.
   */
  routes: Record<string, string>;
  /** The FIFO group of an event, when the caller gives none. Default: none (sending to FIFO without a group fails). */
  groupIdFor?: (envelope: Envelope) => string | undefined;
  /** Largest message, and batch, in bytes. Default 262,144 (256 KiB). Range 1,024 to 1,048,576 (SQS's limit). */
  maxMessageBytes?: number;
  /** How long a send waits for others to fill its batch, in ms. Default 0 (the end of the current tick). Range 0 to 1,000. */
  flushIntervalMs?: number;
  /** Attempts per message for transient failures. Default 4. Range 1 to 20. */
  maxAttempts?: number;
}

/** Extra routing facts for one event. */
export interface SendMeta {
  /** FIFO message group. */
  groupId?: string;
  /**
   * Trace context to continue (W3C `traceparent`). Default: the active span's context. The message carries the
   * context of its `send` span, a child of this one (the value itself when tracing is off).
   */
  traceparent?: string;
}

/**
 * Wraps payloads in the envelope, routes them by type, sets FIFO group and
 * deduplication ids (the event id), and sends through the {@link SendBatcher}.
 * The type travels as the `type` message attribute, trace context as `traceparent` (and `tracestate`), written
 * by a `send` span per message (see `startSendSpan`).
 */
export class EventSender {
  readonly sqs: SQSClient;
  private readonly batcher: SendBatcher;
  private readonly routes: Map<string, string>;
  private readonly queueUrls: QueueUrls;
  private readonly groupIdFor: ((envelope: Envelope) => string | undefined) | undefined;

  constructor(options: EventSenderOptions) {
    if (typeof options.routes !== 'object' || options.routes === null || Object.keys(options.routes).length === 0) {
      throw new InvalidOptionError(
        'routes',
        'must map at least one event type (or "*") to a queue URL or name',
        options.routes,
      );
    }
    for (const [type, target] of Object.entries(options.routes)) {
      if (typeof target !== 'string' || target.trim() === '') {
        throw new InvalidOptionError(`routes["${type}"]`, 'must be a queue URL or name', target);
      }
    }
    this.routes = new Map(Object.entries(options.routes));
    this.groupIdFor = options.groupIdFor;
    this.sqs = options.client ?? createSqsClient(options);
    this.queueUrls = new QueueUrls(this.sqs);
    this.batcher = new SendBatcher(this.sqs, {
      maxMessageBytes: maxMessageBytesOption(options.maxMessageBytes),
      flushIntervalMs: integerOption('flushIntervalMs', options.flushIntervalMs, 0, 0, 1_000),
      maxAttempts: integerOption('maxAttempts', options.maxAttempts, 4, 1, 20),
      retryBaseDelayMs: 100,
    });
  }

  /** Builds the envelope for `input` and sends it. Resolves with the envelope and SQS's ids. */
  async emit<TPayload>(
    input: EnvelopeInput<TPayload>,
    meta: SendMeta = {},
  ): Promise<{ envelope: Envelope<TPayload> } & SendResult> {
    const envelope = createEnvelope(input);
    const result = await this.sendEnvelope(envelope, meta);
    return { envelope, ...result };
  }

  /** Sends a complete envelope (e.g. a resend, with its original id). */
  async sendEnvelope(envelope: Envelope, meta: SendMeta = {}): Promise<SendResult> {
    const queueUrl = await this.queueUrlFor(envelope.type);
    const fifo = queueUrl.endsWith('.fifo');
    const groupId = meta.groupId ?? this.groupIdFor?.(envelope);
    if (fifo && groupId === undefined) throw new MissingGroupIdError(envelope.type, queueUrl);
    const attributes: Record<string, MessageAttributeValue> = {
      type: { DataType: 'String', StringValue: envelope.type },
    };
    const parent = meta.traceparent
      ? contextFromTraceAttributes(meta.traceparent, undefined, context.active())
      : context.active();
    const span = startSendSpan(
      parent,
      { queue: queueNameOf(queueUrl), groupId, eventType: envelope.type, correlationId: envelope.correlationId },
      attributes,
    );
    try {
      const result = await this.batcher.send({
        queueUrl,
        body: JSON.stringify(envelope),
        attributes: span.attributes,
        ...(fifo ? { groupId, deduplicationId: envelope.id } : {}),
      });
      span.succeeded(result.messageId);
      return result;
    } catch (error) {
      span.failed(error);
      throw error;
    }
  }

  /** Waits until every queued send has its result. */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  close(): Promise<void> {
    return this.batcher.close();
  }

  private queueUrlFor(eventType: string): Promise<string> {
    const target = this.routes.get(eventType) ?? this.routes.get('*');
    if (target === undefined) return Promise.reject(new NoRouteError(eventType));
    return this.queueUrls.resolve(target);
  }
}
