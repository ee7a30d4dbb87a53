import type { ArgumentsHost, RpcExceptionFilter } from '@nestjs/common';
import { Catch } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { throwError } from 'rxjs';
import { SqsContext } from './sqs.context.js';

/**
 * Keeps a handler's own error for the SQS transport. Nest's default RPC filter
 * replaces unknown errors with a generic "Internal server error" object; the
 * transport then cannot tell a `NonRetryableError` (DLQ at once) from a
 * transient failure (retry with backoff), and retries everything. Register it
 * with `@UseFilters(new SqsExceptionFilter())` on SQS controllers, or globally
 * for the microservice.
 */
@Catch()
export class SqsExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    const context = host.switchToRpc().getContext<unknown>();
    if (context instanceof SqsContext) context.failure = exception;
    return throwError(() => exception);
  }
}
