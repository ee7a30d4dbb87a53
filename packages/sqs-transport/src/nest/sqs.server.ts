import { randomUUID } from 'node:crypto';
import type { CustomTransportStrategy, MessageHandler as NestMessageHandler } from '@nestjs/microservices';
import { EventPattern, Server } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import type { HandlerOutcome } from '../consumer/consumer.js';
import { SqsConsumer } from '../consumer/consumer.js';
import type { SqsConsumerOptions } from '../consumer/consumer-options.js';
import type { HeldMessage } from '../consumer/held-message.js';
import type { InboxMode } from '../consumer/idempotency.js';
import { runIdempotently } from '../consumer/idempotency.js';
import type { ShutdownResult } from '../consumer/shutdown.js';
import { HandlerFailedError, InvalidOptionError, PayloadValidationError, UnknownEventTypeError } from '../errors.js';
import type { ConsumerEventListener, ConsumerEventName, ConsumerEvents } from '../events.js';
import type { InboxStore } from '../inbox.js';
import type { Envelope } from '../producer/envelope.js';
import { parseEnvelope } from '../consumer/parse-envelope.js';
import { SqsContext } from './sqs.context.js';

/** Transport id of the SQS strategy, for `@EventPattern(type, SQS_TRANSPORT)` when an app has several transports. */
export const SQS_TRANSPORT = Symbol('SQS_TRANSPORT');

/** Extras of an `@EventPattern` handled by this transport. */
export interface SqsHandlerExtras {
  /** Makes the handler idempotent through the inbox. Default: not idempotent. */
  inbox?: InboxMode;
  /** Inbox consumer name. Default: `<server name>:<event type>`. */
  consumer?: string;
}

export interface SqsServerOptions extends SqsConsumerOptions {
  /** Names this consumer in inbox keys and lease owners. Default `sqs`. */
  name?: string;
  /** Inbox store for idempotent handlers. Required when any handler declares `inbox`. */
  inbox?: InboxStore<unknown>;
  /**
   * Checks each payload against its type's schema before the handler runs. A
   * payload that fails goes to the DLQ at once (`PAYLOAD_INVALID`, with the
   * issues); a valid one reaches the handler as returned in `value` (e.g. with
   * unknown fields of a newer minor version dropped). Default: no check.
   */
  validatePayload?: (envelope: Envelope) => PayloadValidation;
}

/** What `validatePayload` returns. */
export type PayloadValidation = { ok: true; value: unknown } | { ok: false; issues: string[] };

/**
 * `@EventPattern` for an idempotent handler: `@IdempotentEventPattern('order.placed')`
 * runs the handler inside the inbox transaction (get the client with
 * `ctx.getTransaction()`); `{ inbox: 'lease' }` serves effects outside the database.
 */
export function IdempotentEventPattern(eventType: string, extras: SqsHandlerExtras = {}): MethodDecorator {
  return EventPattern<string>(eventType, { inbox: 'transaction', ...extras });
}

/**
 * The Nest custom transport strategy. Each message is routed by its `type`
 * attribute (or the envelope's type) to an `@EventPattern` handler, which gets
 * the envelope's payload and an {@link SqsContext}. The message is deleted only
 * after the handler (and its inbox commit) succeeded. Pipelines, guards and
 * interceptors run as for any Nest event handler.
 */
export class SqsServer extends Server implements CustomTransportStrategy {
  override readonly transportId = SQS_TRANSPORT;
  readonly consumer: SqsConsumer;
  private readonly name: string;
  private readonly inbox: InboxStore<unknown> | undefined;
  private readonly owner = randomUUID();
  private readonly validatePayload: ((envelope: Envelope) => PayloadValidation) | undefined;

  constructor(options: SqsServerOptions) {
    super();
    this.name = options.name ?? 'sqs';
    this.inbox = options.inbox;
    this.validatePayload = options.validatePayload;
    this.consumer = new SqsConsumer(options, (message) => this.dispatch(message));
  }

  /** Starts consuming once Nest has registered the handlers. */
  listen(callback: (...optionalParams: unknown[]) => void): void {
    const missingInbox = [...this.messageHandlers.entries()].find(
      ([, handler]) => (handler.extras as SqsHandlerExtras | undefined)?.inbox !== undefined && !this.inbox,
    );
    if (missingInbox) {
      callback(
        new InvalidOptionError(
          'inbox',
          `is required: the handler of "${missingInbox[0]}" declares an inbox mode`,
          undefined,
        ),
      );
      return;
    }
    this.consumer.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  /** Graceful shutdown; Nest calls it from its shutdown hooks (`app.enableShutdownHooks()`). */
  close(): Promise<ShutdownResult> {
    return this.consumer.stop();
  }

  // Nest's Server declares `on` with a `Function` callback; the typed form is `onEvent`.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  on<K extends string, C extends Function>(event: K, callback: C): this {
    this.consumer.events.on(
      event as ConsumerEventName,
      callback as unknown as ConsumerEventListener<ConsumerEventName>,
    );
    return this;
  }

  /** Typed form of `on` for consumer events. */
  onEvent<K extends ConsumerEventName>(event: K, listener: (event: ConsumerEvents[K]) => void): this {
    this.consumer.events.on(event, listener);
    return this;
  }

  unwrap<T>(): T {
    return this.consumer.sqs as T;
  }

  private async dispatch(message: HeldMessage): Promise<HandlerOutcome> {
    const attributeType = message.typeAttribute;
    if (attributeType !== undefined && !this.messageHandlers.has(attributeType)) {
      message.eventType = attributeType;
      throw new UnknownEventTypeError(attributeType);
    }
    const envelope = parseEnvelope(message.message.Body);
    const eventType = attributeType ?? envelope.type;
    message.eventType = eventType;
    const handler = this.messageHandlers.get(eventType);
    if (!handler) throw new UnknownEventTypeError(eventType);

    let payload = envelope.payload;
    if (this.validatePayload) {
      const validation = this.validatePayload({ ...envelope, type: eventType });
      if (!validation.ok) throw new PayloadValidationError(eventType, validation.issues);
      payload = validation.value;
    }

    const extras = handler.extras as SqsHandlerExtras | undefined;
    const invoke = (transaction: unknown): Promise<unknown> => {
      const context = new SqsContext([
        {
          message: message.message,
          envelope,
          queueUrl: message.queue.url,
          receiveCount: message.receiveCount,
          groupId: message.groupId,
          signal: message.signal,
          transaction,
        },
      ]);
      return this.invoke(handler, payload, context);
    };

    if (extras?.inbox === undefined || !this.inbox) {
      await invoke(undefined);
      return {};
    }
    const key = { consumer: extras.consumer ?? `${this.name}:${eventType}`, eventId: envelope.id };
    const run = await runIdempotently(this.inbox, extras.inbox, key, message, `${this.name}:${this.owner}`, invoke);
    return { duplicate: run.duplicate };
  }

  private async invoke(handler: NestMessageHandler, payload: unknown, context: SqsContext): Promise<unknown> {
    try {
      const result: unknown = await handler(payload, context);
      // Handlers without interceptors resolve to a plain value; only an Observable needs draining.
      return isObservable(result) ? await lastValueFrom(result, { defaultValue: undefined }) : result;
    } catch (error) {
      if (context.failure !== undefined) throw context.failure;
      if (error instanceof Error) throw error;
      throw new HandlerFailedError(error);
    }
  }
}
