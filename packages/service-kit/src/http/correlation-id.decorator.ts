import type { ExecutionContext } from '@nestjs/common';
import { createParamDecorator } from '@nestjs/common';
import { correlationIdFrom, CORRELATION_HEADER } from '../logging/logger.js';

/**
 * The request's correlation id (from `X-Correlation-Id`, or the one generated for it), as the logs carry it.
 * Put it into the envelope of every event the request emits.
 */
export const CorrelationId = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<{ id?: unknown; headers: Record<string, string | undefined> }>();
  return typeof request.id === 'string' ? request.id : correlationIdFrom(request.headers[CORRELATION_HEADER]);
});
