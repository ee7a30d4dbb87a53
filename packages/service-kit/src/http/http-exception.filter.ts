import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { Catch, HttpException, Logger } from '@nestjs/common';
import { SqsExceptionFilter } from '@sqsref/sqs-transport';
import type { ErrorBody } from './api-error.js';
import { asServiceUnavailable } from './service-unavailable.js';

const DEFAULT_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

/** What a client is told for errors whose own message may carry internals (5xx) or a library's wording (429). */
const FIXED_MESSAGES: Record<number, string> = {
  429: 'Too many requests from this client; retry after the number of seconds in Retry-After.',
  500: 'Internal server error.',
  503: 'The service is unavailable; retry later.',
};

interface HttpResponse {
  status(code: number): HttpResponse;
  json(body: unknown): unknown;
  setHeader(name: string, value: string): unknown;
  headersSent?: boolean;
}

export interface HttpExceptionFilterOptions {
  /** `Retry-After` of the 503 for an unavailable database or dependency, in seconds. Default 5. */
  retryAfterSeconds?: number;
}

/**
 * Renders every HTTP error as an {@link ErrorBody} `{ statusCode, code, message, errors? }`. A database that cannot
 * be reached, does not answer or runs out of time becomes a 503 `DATABASE_UNAVAILABLE` with `Retry-After` (see
 * {@link asServiceUnavailable}); other unexpected errors become a 500 without internals (and are logged). A 5xx
 * `HttpException` without a stable code (thrown by Nest or a library) keeps only its status: its message may name
 * hosts, queries or files. No body ever carries a stack trace. For SQS
 * handlers it defers to {@link SqsExceptionFilter}, so the transport still sees the handler's own error (and whether
 * it is retryable).
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');
  private readonly sqs = new SqsExceptionFilter();
  private readonly retryAfterSeconds: number;

  constructor(options: HttpExceptionFilterOptions = {}) {
    this.retryAfterSeconds = options.retryAfterSeconds ?? 5;
  }

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() !== 'http') return this.sqs.catch(exception, host);
    const response = host.switchToHttp().getResponse<HttpResponse>();
    const unavailable = asServiceUnavailable(exception, this.retryAfterSeconds);
    const body = this.toBody(unavailable ?? exception);
    if (unavailable) {
      this.logger.warn(`${body.code}: ${errorText(unavailable.cause ?? unavailable)}`);
    } else if (body.statusCode >= 500) {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    }
    if (response.headersSent) return undefined;
    if (unavailable) response.setHeader('Retry-After', String(unavailable.retryAfterSeconds));
    response.status(body.statusCode).json(body);
    return undefined;
  }

  private toBody(exception: unknown): ErrorBody {
    if (!(exception instanceof HttpException)) {
      return { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error.' };
    }
    const statusCode = exception.getStatus();
    // Express's body parser rejects a malformed JSON body before any route runs; Nest maps it to a 400 whose cause
    // is the parser's SyntaxError.
    if (statusCode === 400 && exception.cause instanceof SyntaxError) {
      return {
        statusCode,
        code: 'INVALID_JSON',
        message: 'The request body is not valid JSON.',
        errors: [{ field: '(body)', message: exception.cause.message }],
      };
    }
    const response = exception.getResponse();
    if (typeof response === 'object' && response !== null && 'code' in response) {
      return { ...(response as ErrorBody), statusCode };
    }
    const code = DEFAULT_CODES[statusCode] ?? `HTTP_${statusCode}`;
    if (statusCode >= 500 || statusCode === 429) {
      return { statusCode, code, message: FIXED_MESSAGES[statusCode] ?? 'The request failed on the server.' };
    }
    const message =
      typeof response === 'string'
        ? response
        : typeof (response as { message?: unknown }).message === 'string'
          ? (response as { message: string }).message
          : exception.message;
    return { statusCode, code, message };
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
