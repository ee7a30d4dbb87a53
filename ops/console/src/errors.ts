/** A failure the console's API reports to the browser: an HTTP status, a stable code and what to do. */
export abstract class ConsoleError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
}

/** A queue name that infra/queues.json does not define (or not as a DLQ, where one is needed). */
export class UnknownQueueError extends ConsoleError {
  readonly code = 'CONSOLE_UNKNOWN_QUEUE';
  readonly status = 404;
}

/** A request body or parameter the API cannot use; the message names the field. */
export class InvalidRequestError extends ConsoleError {
  readonly code = 'CONSOLE_INVALID_REQUEST';
  readonly status = 400;
}

/** A service of the stack answered with an error or not at all. */
export class UpstreamError extends ConsoleError {
  readonly code = 'CONSOLE_UPSTREAM_FAILED';
  readonly status = 502;
}
