import type { CustomTransportStrategy, MessageHandler as NestMessageHandler } from '@nestjs/microservices';
import { EventPattern, Server } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { SqsConsumer } from '../consumer/consumer.js';
import type { SqsConsumerOptions } from '../consumer/consumer-options.js';
import type { InboxMode } from '../consumer/idempotency.js';
import type { ShutdownResult } from '../consumer/shutdown.js';
import { HandlerFailedError, InvalidOptionError } from '../errors.js';
import type { ConsumerEventName, ConsumerEvents } from '../events.js';
import type { InboxStore } from '../inbox.js';
import type { Delivery, PipelineOptions, PipelineRoute } from '../consumer/pipeline.js';
import { createPipeline } from '../consumer/pipeline.js';
import { SqsContext } from './sqs.context.js';

/** Transport id of the SQS strategy, for `@EventPattern(type, SQS_TRANSPORT)` when an app has several transports. */
export const SQS_TRANSPORT = Symbol('SQS_TRANSPORT');

/** The consumer's events, as listeners: what {@link SqsServer.on} accepts (Nest's `Server` events map). */
export type SqsServerEvents = { [K in ConsumerEventName]: (event: ConsumerEvents[K]) => void };

/** The server's status, on Nest's `server.status` observable: `listening` once consuming, `closed` after shutdown. */
export type SqsServerStatus = 'listening' | 'closed';

/** Extras of an `@EventPattern` handled by this transport. */
export interface SqsHandlerExtras {
  /** Makes the handler idempotent through the inbox. Default: not idempotent. */
  inbox?: InboxMode;
  /** Inbox consumer name. Default: `<server name>:<event type>`. */
  consumer?: string;
}

/** The consumer's options, and the pipeline's: `name`, `inbox` (required when any handler declares `inbox`), `validatePayload`. */
export interface SqsServerOptions extends SqsConsumerOptions, PipelineOptions {}

/**
 * `@EventPattern` for an idempotent handler: `@IdempotentEventPattern('order.placed')`
 * runs the handler inside the inbox transaction (get the client with
 * `ctx.getTransaction()`); `{ inbox: 'lease' }` serves effects outside the database.
 */
export function IdempotentEventPattern(eventType: string, extras: SqsHandlerExtras = {}): MethodDecorator {
  return EventPattern<string>(eventType, { inbox: 'transaction', ...extras });
}

/**
 * The Nest custom transport strategy: route lookup, {@link SqsContext} and Nest's plumbing around the consumer core
 * and its pipeline (`consumer/pipeline.ts`: decode, validate, inbox). Each message is routed by its `type` attribute
 * (or the envelope's type) to an `@EventPattern` handler, which gets the envelope's payload and an
 * {@link SqsContext}. The message is deleted only after the handler (and its inbox commit) succeeded. Pipes, guards
 * and interceptors run as for any Nest event handler.
 */
export class SqsServer extends Server<SqsServerEvents, SqsServerStatus> implements CustomTransportStrategy {
  override readonly transportId = SQS_TRANSPORT;
  readonly consumer: SqsConsumer;
  private readonly inbox: InboxStore<unknown> | undefined;

  constructor(options: SqsServerOptions) {
    super();
    this.inbox = options.inbox;
    this.consumer = new SqsConsumer(
      options,
      createPipeline((eventType) => this.route(eventType), options),
    );
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
      () => {
        this._status$.next('listening');
        callback();
      },
      (error: unknown) => callback(error),
    );
  }

  /** Graceful shutdown; Nest calls it from its shutdown hooks (`app.enableShutdownHooks()`). */
  async close(): Promise<ShutdownResult> {
    const result = await this.consumer.stop();
    this._status$.next('closed');
    return result;
  }

  /** Listens to a consumer event (Nest's `server.on`), typed by {@link SqsServerEvents}. */
  on<K extends keyof SqsServerEvents = keyof SqsServerEvents, C extends SqsServerEvents[K] = SqsServerEvents[K]>(
    event: K,
    callback: C,
  ): this {
    this.consumer.events.on(event, callback);
    return this;
  }

  /** The same as {@link SqsServer.on}. */
  onEvent<K extends ConsumerEventName>(event: K, listener: (event: ConsumerEvents[K]) => void): this {
    this.consumer.events.on(event, listener);
    return this;
  }

  /** The underlying `SQSClient` (Nest's `server.unwrap()`). */
  unwrap<T>(): T {
    return this.consumer.sqs as T;
  }

  /** The `@EventPattern` handler of an event type, as a pipeline route. */
  private route(eventType: string): PipelineRoute | undefined {
    const handler = this.messageHandlers.get(eventType);
    if (!handler) return undefined;
    const extras = handler.extras as SqsHandlerExtras | undefined;
    return {
      inbox: extras?.inbox,
      consumer: extras?.consumer,
      handle: (delivery) => this.invoke(handler, delivery.payload, contextOf(delivery)),
    };
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

function contextOf({ message, envelope, transaction }: Delivery): SqsContext {
  return new SqsContext([
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
}
