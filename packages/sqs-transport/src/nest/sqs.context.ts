import type { Message } from '@aws-sdk/client-sqs';
import { BaseRpcContext } from '@nestjs/microservices';
import type { Envelope } from '../producer/envelope.js';

export interface SqsContextArgs {
  message: Message;
  envelope: Envelope;
  queueUrl: string;
  receiveCount: number;
  groupId: string | undefined;
  signal: AbortSignal;
  transaction: unknown;
}

/**
 * What an `@EventPattern` handler can learn about its message, through `@Ctx()`.
 * The handler's data (`@Payload()`) is the envelope's payload.
 */
export class SqsContext extends BaseRpcContext<[SqsContextArgs]> {
  /** Set by {@link SqsExceptionFilter}: the handler's own error, before Nest turns it into a generic one. */
  failure: unknown;

  private get state(): SqsContextArgs {
    return this.args[0];
  }

  /** The raw SQS message. */
  getMessage(): Message {
    return this.state.message;
  }

  /** The parsed envelope: event id, type, version, correlation and causation ids. */
  getEnvelope<TPayload = unknown>(): Envelope<TPayload> {
    return this.state.envelope as Envelope<TPayload>;
  }

  getQueueUrl(): string {
    return this.state.queueUrl;
  }

  /** SQS's ApproximateReceiveCount: 1 on the first delivery. */
  getReceiveCount(): number {
    return this.state.receiveCount;
  }

  /** The FIFO message group, if any. */
  getGroupId(): string | undefined {
    return this.state.groupId;
  }

  /**
   * Fires when the message's lease is lost, its max processing time passes, or
   * shutdown's deadline passes. Pass it to anything slow (fetch, SDK calls).
   */
  getSignal(): AbortSignal {
    return this.state.signal;
  }

  /**
   * The inbox transaction client of an idempotent handler in `transaction`
   * mode: do every database write of the handler through it.
   */
  getTransaction<TTx>(): TTx {
    if (this.state.transaction === undefined) {
      throw new Error(
        'getTransaction() is only available in handlers declared with { inbox: "transaction" } (see IdempotentEventPattern).',
      );
    }
    return this.state.transaction as TTx;
  }
}
