import { classifyDatabaseFailure } from '@sqsref/sqs-prisma';
import { DependencyUnavailableError } from '@sqsref/sqs-transport';
import { ApiError } from './api-error.js';

/** The stable codes of a 503 for a dependency. */
export type ServiceUnavailableCode =
  /** The database cannot be reached, does not answer, or could not finish the request's work in time. */
  | 'DATABASE_UNAVAILABLE'
  /** Another dependency reported itself unavailable (`DependencyUnavailableError`). */
  | 'DEPENDENCY_UNAVAILABLE'
  /** The request hit its deadline (`DEPENDENCY_TIMEOUT_MS`) before any dependency gave an answer. */
  | 'DEPENDENCY_TIMEOUT';

/**
 * 503 because a dependency is away; the exception filter adds `Retry-After: retryAfterSeconds`. The request's
 * database work was rolled back, or (when the database fell silent just as it committed) committed whole: never half
 * of it. A retry with the same `Idempotency-Key` is safe either way.
 */
export class ServiceUnavailableError extends ApiError {
  constructor(
    code: ServiceUnavailableCode,
    message: string,
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(503, code, message);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** The `Retry-After` of a service whose requests are bounded by `boundMs`: the bound, in whole seconds (at least 1). */
export function retryAfterSeconds(boundMs: number): number {
  return Math.max(1, Math.ceil(boundMs / 1000));
}

/**
 * The 503 for an error that says a dependency is unavailable (a database failure as `classifyDatabaseFailure` sees
 * it, or the transport's `DependencyUnavailableError`), or undefined for any other error.
 */
export function asServiceUnavailable(error: unknown, retryAfter: number): ServiceUnavailableError | undefined {
  if (error instanceof ServiceUnavailableError) return error;
  if (classifyDatabaseFailure(error) !== undefined) {
    return new ServiceUnavailableError(
      'DATABASE_UNAVAILABLE',
      `The database is unavailable or too slow to answer. Retry after ${retryAfter} s (with the same Idempotency-Key, if any).`,
      retryAfter,
      { cause: error },
    );
  }
  if (error instanceof DependencyUnavailableError) {
    return new ServiceUnavailableError(
      'DEPENDENCY_UNAVAILABLE',
      `${error.dependency} is unavailable. Retry after ${retryAfter} s (with the same Idempotency-Key, if any).`,
      retryAfter,
      { cause: error },
    );
  }
  return undefined;
}
