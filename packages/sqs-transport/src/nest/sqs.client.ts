import type { ReadPacket, WritePacket } from '@nestjs/microservices';
import { ClientProxy } from '@nestjs/microservices';
import { TransportClosedError } from '../errors.js';
import type { SendResult } from '../producer/batcher.js';
import type { EnvelopeInput } from '../producer/envelope.js';
import type { EventSenderOptions, SendMeta } from '../producer/event-sender.js';
import { EventSender } from '../producer/event-sender.js';

/** Wraps a payload with envelope and routing facts for `client.emit(type, sqsEvent(payload, meta))`. */
export class SqsEventData<TPayload = unknown> {
  constructor(
    readonly payload: TPayload,
    readonly meta: SendMeta & Omit<EnvelopeInput<TPayload>, 'type' | 'payload'> = {},
  ) {}
}

/** `client.emit('order.placed', sqsEvent(payload, { groupId: orderId, correlationId }))`. */
export function sqsEvent<TPayload>(
  payload: TPayload,
  meta: SendMeta & Omit<EnvelopeInput<TPayload>, 'type' | 'payload'> = {},
): SqsEventData<TPayload> {
  return new SqsEventData(payload, meta);
}

/**
 * The Nest `ClientProxy` for SQS. `emit(type, data)` sends an event: `data` is
 * the payload, or {@link sqsEvent} to set the group, event id or correlation.
 * Request-response (`send`) is not offered: services on SQS talk in events.
 */
export class SqsClientProxy extends ClientProxy {
  readonly sender: EventSender;
  private closed = false;

  constructor(options: EventSenderOptions) {
    super();
    this.sender = new EventSender(options);
  }

  connect(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.sender.close();
  }

  unwrap<T>(): T {
    return this.sender.sqs as T;
  }

  protected publish(_packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    callback({
      err: new Error('SqsClientProxy does not support request-response (send); use emit() for events.'),
      isDisposed: true,
    });
    return () => undefined;
  }

  protected async dispatchEvent<T = SendResult>(packet: ReadPacket): Promise<T> {
    if (this.closed) throw new TransportClosedError('SqsClientProxy.emit()');
    const type = typeof packet.pattern === 'string' ? packet.pattern : JSON.stringify(packet.pattern);
    const data: unknown = packet.data;
    const { payload, meta } = data instanceof SqsEventData ? data : new SqsEventData(data);
    const { groupId, traceparent, ...envelopeMeta } = meta;
    const result = await this.sender.emit(
      { type, payload, ...envelopeMeta },
      { ...(groupId !== undefined ? { groupId } : {}), ...(traceparent !== undefined ? { traceparent } : {}) },
    );
    return result as T;
  }
}
