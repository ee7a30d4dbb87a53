import { errorMessage, SqsTransportError } from '../errors.js';

/** Stable codes of the DLQ tools' failures (CLI and console print them; scripts match on them). */
export type DlqErrorCode =
  | 'UNKNOWN_QUEUE'
  | 'NO_SUCH_MESSAGE'
  | 'NO_SOURCE_QUEUE'
  | 'ENDPOINT_UNREACHABLE'
  | 'NO_CREDENTIALS'
  | 'MOVE_TASK_UNSUPPORTED';

/**
 * A failure of the DLQ tools: a stable `code`, the cause kept, a message that says what to do. One of the transport's
 * errors, so `instanceof SqsTransportError` holds for it too.
 */
export abstract class DlqError extends SqsTransportError<DlqErrorCode> {}

/** The named queue does not exist on the endpoint, or is not a DLQ of the queue definitions. */
export class UnknownQueueError extends DlqError {
  readonly code = 'UNKNOWN_QUEUE';
  constructor(
    readonly queue: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Unknown queue "${queue}": ${detail}. Run \`list\` to see the DLQs.`, options);
  }
}

/** Messages selected by id were not found in the DLQ (already redriven, or never there). */
export class NoSuchMessageError extends DlqError {
  readonly code = 'NO_SUCH_MESSAGE';
  constructor(
    readonly ids: readonly string[],
    queue: string,
  ) {
    super(
      `No message ${ids.map((id) => `"${id}"`).join(', ')} in ${queue}. Run \`show --queue ${queue}\` to see its messages.`,
    );
  }
}

/** A message has no `dlq-source-queue` attribute and its DLQ has no known source queue. */
export class NoSourceQueueError extends DlqError {
  readonly code = 'NO_SOURCE_QUEUE';
  constructor(
    readonly messageId: string,
    queue: string,
  ) {
    super(
      `Message ${messageId} in ${queue} names no source queue and ${queue} is the DLQ of no queue in the definitions. Add the queue and its deadLetter to queues.json.`,
    );
  }
}

/** SQS could not be reached at the configured endpoint. */
export class EndpointUnreachableError extends DlqError {
  readonly code = 'ENDPOINT_UNREACHABLE';
  constructor(
    readonly endpoint: string,
    cause: unknown,
  ) {
    super(
      `Cannot reach SQS at ${endpoint} (${errorMessage(cause) || 'connection failed'}). Start the emulator (npm start) or set AWS_ENDPOINT_URL_SQS / --endpoint.`,
      { cause },
    );
  }
}

/** No endpoint is configured and no AWS credentials were found. */
export class NoCredentialsError extends DlqError {
  readonly code = 'NO_CREDENTIALS';
  constructor(cause: unknown) {
    super(
      'No SQS endpoint is configured and no AWS credentials were found. Set AWS_ENDPOINT_URL_SQS (or --endpoint) for an emulator, or AWS credentials for AWS.',
      { cause },
    );
  }
}

/** `method: 'move-task'` was asked for but the endpoint has no StartMessageMoveTask, or the redrive selects messages. */
export class MoveTaskUnsupportedError extends DlqError {
  readonly code = 'MOVE_TASK_UNSUPPORTED';
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`StartMessageMoveTask cannot be used: ${detail}. Use method "loop" (or "auto").`, options);
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);

/**
 * Turns an SDK failure into the DLQ error that says what to do: an unreachable endpoint, missing credentials, a
 * queue that does not exist. Anything else is returned as it is.
 */
export function classifySqsError(error: unknown, context: { endpoint: string; queue?: string }): unknown {
  if (error instanceof DlqError) return error;
  const named = error as { name?: unknown } | null;
  if (isNetworkFailure(error) || named?.name === 'TimeoutError')
    return new EndpointUnreachableError(context.endpoint, error);
  if (named?.name === 'CredentialsProviderError') return new NoCredentialsError(error);
  if (typeof named?.name === 'string' && /(^|\.)(QueueDoesNotExist|NonExistentQueue)$/.test(named.name)) {
    return new UnknownQueueError(context.queue ?? '(unnamed)', 'it does not exist on the endpoint', { cause: error });
  }
  return error;
}

/**
 * A connection that failed: a network error code on the error, its cause or the errors it aggregates, or in its
 * message (the SDK wraps errors it does not recognise as Errors, e.g. from another realm, keeping only the message).
 */
function isNetworkFailure(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 3) return false;
  const { code, message, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (typeof message === 'string' && [...NETWORK_CODES].some((name) => message.includes(name))) return true;
  return (
    isNetworkFailure(cause, depth + 1) ||
    (Array.isArray(errors) && errors.some((inner: unknown) => isNetworkFailure(inner, depth + 1)))
  );
}
