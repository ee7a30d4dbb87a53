import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { Catch, HttpException, Logger } from '@nestjs/common';
import { SqsExceptionFilter } from '@sqsref/sqs-transport';
import type { ErrorBody } from './api-error.js';

const DEFAULT_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  503: 'SERVICE_UNAVAILABLE',
};

interface HttpResponse {
  status(code: number): HttpResponse;
  json(body: unknown): unknown;
  headersSent?: boolean;
}

/**
 * Renders every HTTP error as an {@link ErrorBody} `{ statusCode, code, message, errors? }`; unexpected errors
 * become a 500 without internals (and are logged). For SQS handlers it defers to {@link SqsExceptionFilter}, so
 * the transport still sees the handler's own error (and whether it is retryable).
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');
  private readonly sqs = new SqsExceptionFilter();

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() !== 'http') return this.sqs.catch(exception, host);
    const response = host.switchToHttp().getResponse<HttpResponse>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (!response.headersSent) response.status(body.statusCode).json(body);
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
    const message =
      typeof response === 'string'
        ? response
        : typeof (response as { message?: unknown }).message === 'string'
          ? (response as { message: string }).message
          : exception.message;
    return { statusCode, code: DEFAULT_CODES[statusCode] ?? `HTTP_${statusCode}`, message };
  }
}
