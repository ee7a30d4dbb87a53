import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { throwError, timeout } from 'rxjs';
import { retryAfterSeconds, ServiceUnavailableError } from './service-unavailable.js';

/**
 * The backstop of `DEPENDENCY_TIMEOUT_MS`: an HTTP request whose handler has not answered within `deadlineMs` gets a
 * 503 `DEPENDENCY_TIMEOUT` with `Retry-After`. The database's own timeouts (see `databaseTimeouts`) fire well before
 * it, so its work is abandoned and rolled back by then; this catches whatever else could hang. SQS handlers are left
 * alone (the transport has its own heartbeat and caps).
 */
export class RequestDeadlineInterceptor implements NestInterceptor {
  constructor(private readonly deadlineMs: number) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    return next.handle().pipe(
      timeout({
        first: this.deadlineMs,
        with: () =>
          throwError(
            () =>
              new ServiceUnavailableError(
                'DEPENDENCY_TIMEOUT',
                `No answer within ${this.deadlineMs} ms: a dependency is too slow or unavailable. Retry after ${retryAfterSeconds(this.deadlineMs)} s (with the same Idempotency-Key, if any).`,
                retryAfterSeconds(this.deadlineMs),
              ),
          ),
      }),
    );
  }
}
