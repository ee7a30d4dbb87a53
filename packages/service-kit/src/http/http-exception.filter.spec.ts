import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ArgumentsHost } from '@nestjs/common';
import {
  BadRequestException,
  HttpException,
  InternalServerErrorException,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { DatabaseTimeoutError } from '@sqsref/sqs-prisma';
import { DependencyUnavailableError } from '@sqsref/sqs-transport';
import { ApiError, ValidationFailedError } from './api-error.js';
import { HttpExceptionFilter } from './http-exception.filter.js';
import { ServiceUnavailableError } from './service-unavailable.js';

interface Sent {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

function render(exception: unknown, retryAfterSeconds?: number): Sent {
  const sent: Sent = { status: 0, body: undefined };
  const response = {
    status(code: number) {
      sent.status = code;
      return response;
    },
    json(body: unknown) {
      sent.body = body;
    },
    setHeader(name: string, value: string) {
      sent.headers = { ...sent.headers, [name]: value };
    },
  };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => response }),
  } as unknown as ArgumentsHost;
  new HttpExceptionFilter(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }).catch(exception, host);
  return sent;
}

describe('HttpExceptionFilter', () => {
  // The 500 case logs the error; keep the test output clean.
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  it('renders ApiErrors with their code and details', () => {
    expect(render(new ApiError(409, 'ORDER_ALREADY_SHIPPED', 'shipped', { status: 'SHIPPED' }))).toEqual({
      status: 409,
      body: { statusCode: 409, code: 'ORDER_ALREADY_SHIPPED', message: 'shipped', status: 'SHIPPED' },
    });
    expect(render(new ValidationFailedError([{ field: 'name', message: 'required' }])).body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'name', message: 'required' }],
    });
  });

  it("gives Nest's own exceptions a code, and a malformed JSON body INVALID_JSON", () => {
    expect(render(new NotFoundException('Cannot GET /x'))).toEqual({
      status: 404,
      body: { statusCode: 404, code: 'NOT_FOUND', message: 'Cannot GET /x' },
    });
    const parse = new BadRequestException('Unexpected end of JSON input', {
      cause: new SyntaxError('Unexpected end of JSON input'),
    });
    expect(render(parse).body).toMatchObject({ code: 'INVALID_JSON', errors: [{ field: '(body)' }] });
  });

  it('hides the details of unexpected errors behind a 500', () => {
    expect(render(new Error('db password is hunter2'))).toEqual({
      status: 500,
      body: { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error.' },
    });
  });

  it("keeps a 5xx HttpException's own message out of the body: it may name hosts, queries or files", () => {
    expect(
      render(new InternalServerErrorException('connect ECONNREFUSED db-7.internal:5432 at /app/dist/x.js')),
    ).toEqual({
      status: 500,
      body: { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error.' },
    });
    expect(render(new HttpException('password authentication failed for user "orders"', 502))).toEqual({
      status: 502,
      body: { statusCode: 502, code: 'HTTP_502', message: 'The request failed on the server.' },
    });
    expect(render(new ServiceUnavailableException({ message: 'redis at 10.0.0.3 is down', stack: 'at x' }))).toEqual({
      status: 503,
      body: { statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: 'The service is unavailable; retry later.' },
    });
  });

  it('renders a rate limit (429) as TOO_MANY_REQUESTS, whatever the library called it', () => {
    expect(render(new HttpException('ThrottlerException: Too Many Requests', 429))).toEqual({
      status: 429,
      body: {
        statusCode: 429,
        code: 'TOO_MANY_REQUESTS',
        message: 'Too many requests from this client; retry after the number of seconds in Retry-After.',
      },
    });
  });

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After when the database cannot serve the request', () => {
    const prismaStartTimeout = Object.assign(
      new Error('Transaction API error: Unable to start a transaction in the given time.'),
      { code: 'P2028', meta: {} },
    );
    for (const error of [
      new DatabaseTimeoutError(3_000),
      new Error('timeout exceeded when trying to connect'),
      prismaStartTimeout,
    ]) {
      expect(render(error, 7)).toEqual({
        status: 503,
        headers: { 'Retry-After': '7' },
        body: {
          statusCode: 503,
          code: 'DATABASE_UNAVAILABLE',
          message:
            'The database is unavailable or too slow to answer. Retry after 7 s (with the same Idempotency-Key, if any).',
        },
      });
    }
  });

  it('answers 503 with Retry-After for a dependency that says it is unavailable, and for a missed deadline', () => {
    expect(render(new DependencyUnavailableError('the carrier'))).toMatchObject({
      status: 503,
      headers: { 'Retry-After': '5' },
      body: { code: 'DEPENDENCY_UNAVAILABLE' },
    });
    expect(render(new ServiceUnavailableError('DEPENDENCY_TIMEOUT', 'late', 3))).toEqual({
      status: 503,
      headers: { 'Retry-After': '3' },
      body: { statusCode: 503, code: 'DEPENDENCY_TIMEOUT', message: 'late' },
    });
  });

  it('sends no Retry-After with other errors', () => {
    expect(render(new Error('boom')).headers).toBeUndefined();
    expect(render(new ApiError(404, 'ORDER_NOT_FOUND', 'none')).headers).toBeUndefined();
  });
});
