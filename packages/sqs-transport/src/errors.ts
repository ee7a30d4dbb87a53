import { SQS_MAX_MESSAGE_BYTES } from './sqs-limits.js';

/**
 * Every failure the transport reports is one of these classes. Each has a
 * stable `code` that callers can match on (it never changes between releases),
 * keeps the underlying error as `cause`, and says in its message what to do.
 */
export type SqsTransportErrorCode =
  | 'INVALID_OPTION'
  | 'INVALID_JSON'
  | 'INVALID_ENVELOPE'
  | 'UNKNOWN_EVENT_TYPE'
  | 'PAYLOAD_INVALID'
  | 'NON_RETRYABLE'
  | 'LEASE_LOST'
  | 'MAX_PROCESSING_TIME_EXCEEDED'
  | 'SHUTDOWN_DEADLINE_EXCEEDED'
  | 'MESSAGE_TOO_LARGE'
  | 'SEND_FAILED'
  | 'DELETE_FAILED'
  | 'NO_ROUTE'
  | 'TRANSPORT_CLOSED'
  | 'HANDLER_FAILED'
  | 'MISSING_GROUP_ID'
  | 'DEPENDENCY_UNAVAILABLE';

/** The transport's errors; `C` is the union of their codes (the DLQ tools' errors use `DlqErrorCode`). */
export abstract class SqsTransportError<C extends string = SqsTransportErrorCode> extends Error {
  abstract readonly code: C;
  /** Whether redelivering the message could succeed. Non-retryable failures go to the DLQ at once. */
  readonly retryable: boolean = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An option passed to a transport constructor is out of range or of the wrong type. */
export class InvalidOptionError extends SqsTransportError {
  readonly code = 'INVALID_OPTION';
  constructor(
    readonly option: string,
    requirement: string,
    received: unknown,
  ) {
    super(`Invalid option "${option}": ${requirement} (received ${describe(received)}).`);
  }
}

/** The message body is not valid JSON. The message is moved to the DLQ at once. */
export class InvalidJsonError extends SqsTransportError {
  readonly code = 'INVALID_JSON';
  override readonly retryable = false;
  constructor(cause: unknown) {
    super(
      `Message body is not valid JSON (${errorMessage(cause)}). Producers must send the JSON envelope { id, type, version, occurredAt, payload }.`,
      { cause },
    );
  }
}

/** The body is JSON but not an envelope: a required field is missing or of the wrong type. */
export class InvalidEnvelopeError extends SqsTransportError {
  readonly code = 'INVALID_ENVELOPE';
  override readonly retryable = false;
  constructor(readonly problems: readonly string[]) {
    super(
      `Message body is not a valid envelope: ${problems.join('; ')}. Build messages with createEnvelope() or the SqsClientProxy.`,
    );
  }
}

/** No handler is registered for the message's type. */
export class UnknownEventTypeError extends SqsTransportError {
  readonly code = 'UNKNOWN_EVENT_TYPE';
  override readonly retryable = false;
  constructor(readonly eventType: string) {
    super(
      `No handler is registered for event type "${eventType}". Add an @EventPattern('${eventType}') handler, or stop routing this type to this queue.`,
    );
  }
}

/** The payload does not match the schema of its event type and version. */
export class PayloadValidationError extends SqsTransportError {
  readonly code = 'PAYLOAD_INVALID';
  override readonly retryable = false;
  constructor(
    readonly eventType: string,
    readonly issues: readonly string[],
  ) {
    super(`Payload of "${eventType}" failed validation: ${issues.join('; ')}. Fix the producer; retrying cannot help.`);
  }
}

/** Thrown by a handler to send the message to the DLQ at once instead of retrying. */
export class NonRetryableError extends SqsTransportError {
  readonly code = 'NON_RETRYABLE';
  override readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The message's visibility could not be extended: another consumer may now hold it. Its work must not be committed. */
export class LeaseLostError extends SqsTransportError {
  readonly code = 'LEASE_LOST';
  constructor(detail: string, options?: { cause?: unknown }) {
    super(
      `Lost the lease on the message (${detail}); its effects were not committed and the message will be redelivered. If this happens often, raise visibilityTimeoutSeconds or lower heartbeatIntervalMs.`,
      options,
    );
  }
}

/** The handler ran past `maxProcessingMs`; the heartbeat stopped extending it. */
export class MaxProcessingTimeExceededError extends SqsTransportError {
  readonly code = 'MAX_PROCESSING_TIME_EXCEEDED';
  constructor(readonly limitMs: number) {
    super(
      `Processing exceeded maxProcessingMs (${limitMs} ms); the message will become visible again. Raise maxProcessingMs if the work legitimately takes longer.`,
    );
  }
}

/** The server was closed and the handler did not finish within `shutdownTimeoutMs`. */
export class ShutdownDeadlineExceededError extends SqsTransportError {
  readonly code = 'SHUTDOWN_DEADLINE_EXCEEDED';
  constructor(readonly deadlineMs: number) {
    super(
      `The consumer is shutting down and the handler did not finish within shutdownTimeoutMs (${deadlineMs} ms); the message will be redelivered. Raise shutdownTimeoutMs or make the handler honour its AbortSignal.`,
    );
  }
}

/** A message is larger than the configured `maxMessageBytes`. */
export class MessageTooLargeError extends SqsTransportError {
  readonly code = 'MESSAGE_TOO_LARGE';
  override readonly retryable = false;
  constructor(
    readonly sizeBytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `Message is ${sizeBytes} bytes (body and attributes), over the limit of ${limitBytes} bytes. Store large data elsewhere (S3) and send a reference, or raise maxMessageBytes (SQS allows up to ${SQS_MAX_MESSAGE_BYTES}).`,
    );
  }
}

/** SQS refused to send a message, after the configured retries. */
export class SendFailedError extends SqsTransportError {
  readonly code = 'SEND_FAILED';
  constructor(
    readonly queueUrl: string,
    readonly sqsCode: string | undefined,
    detail: string,
    options?: { cause?: unknown; senderFault?: boolean },
  ) {
    super(
      `Sending to ${queueUrl} failed: ${sqsCode ?? 'error'}: ${detail}. ${options?.senderFault ? 'The request itself is wrong (sender fault); fix it before retrying.' : 'The send was retried; check the queue exists and the endpoint is reachable.'}`,
      options,
    );
    this.senderFault = options?.senderFault === true;
  }

  /** True when SQS said the request itself is wrong: resending the same message cannot succeed. */
  readonly senderFault: boolean;
}

/** SQS refused to delete a processed message, after retries. It will be redelivered; the inbox absorbs the duplicate. */
export class DeleteFailedError extends SqsTransportError {
  readonly code = 'DELETE_FAILED';
  constructor(
    readonly queueUrl: string,
    readonly sqsCode: string | undefined,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Deleting a processed message from ${queueUrl} failed: ${sqsCode ?? 'error'}: ${detail}. It will be delivered again; make its handler idempotent (inbox).`,
      options,
    );
  }
}

/** The producer has no queue configured for an event type. */
export class NoRouteError extends SqsTransportError {
  readonly code = 'NO_ROUTE';
  override readonly retryable = false;
  constructor(readonly eventType: string) {
    super(
      `No queue is configured for event type "${eventType}". Add it to the client's "routes" option, or a "*" route.`,
    );
  }
}

/** The client or server was used after close(). */
export class TransportClosedError extends SqsTransportError {
  readonly code = 'TRANSPORT_CLOSED';
  constructor(what: string) {
    super(`${what} was called after close(); create a new instance.`);
  }
}

/**
 * A handler failed and Nest's exception layer replaced its error with a plain
 * object. Retried like any transient failure. Register `SqsExceptionFilter` to
 * keep the handler's own error (and so its retryability).
 */
export class HandlerFailedError extends SqsTransportError {
  readonly code = 'HANDLER_FAILED';
  constructor(readonly detail: unknown) {
    super(
      `The handler failed (${describe(detail)}). Register SqsExceptionFilter on the controller to keep the handler's own error and code.`,
    );
  }
}

/** A message for a FIFO queue has no message group id. */
export class MissingGroupIdError extends SqsTransportError {
  readonly code = 'MISSING_GROUP_ID';
  override readonly retryable = false;
  constructor(
    readonly eventType: string,
    queueUrl: string,
  ) {
    super(
      `Event "${eventType}" goes to the FIFO queue ${queueUrl} but has no group id. Pass { groupId } with the event, or set the client's "groupIdFor" option.`,
    );
  }
}

/**
 * A dependency of the handler (its database, typically) cannot be reached or does not answer. The message is not at
 * fault: the consumer keeps it (invisible, extended by the heartbeat), pauses its polling and runs the handler again
 * in process with backoff, so the outage never counts toward the message's `maxReceiveCount` and never dead-letters
 * it. Throw it from a handler, or classify errors with the consumer's `isDependencyOutage` option.
 */
export class DependencyUnavailableError extends SqsTransportError {
  readonly code = 'DEPENDENCY_UNAVAILABLE';
  constructor(
    readonly dependency: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${dependency} is unavailable${options?.cause === undefined ? '' : ` (${errorMessage(options.cause)})`}; the message is kept and retried in process once it answers again.`,
      options,
    );
  }
}

/** The error's message, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : describe(error);
}

/** Whatever was thrown, as an Error: the error itself, or a new one with its message. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(errorMessage(error));
}

/** The error's stable code: a transport code, an AWS error name, or `UNKNOWN`. */
export function errorCode(error: unknown): string {
  if (error instanceof SqsTransportError) return error.code;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : error.name;
  }
  return 'UNKNOWN';
}

/** Whether the failure could succeed on a later attempt. */
export function isRetryable(error: unknown): boolean {
  return !(error instanceof SqsTransportError) || error.retryable;
}

/** A received value as an option error or a failure shows it: strings quoted, numbers and bigints as written. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' || value === undefined) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
