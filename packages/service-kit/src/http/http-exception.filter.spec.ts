import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ArgumentsHost } from '@nestjs/common';
import { BadRequestException, Logger, NotFoundException } from '@nestjs/common';
import { ApiError, ValidationFailedError } from './api-error.js';
import { HttpExceptionFilter } from './http-exception.filter.js';

function render(exception: unknown): { status: number; body: unknown } {
  const sent: { status: number; body: unknown } = { status: 0, body: undefined };
  const response = {
    status(code: number) {
      sent.status = code;
      return response;
    },
    json(body: unknown) {
      sent.body = body;
    },
  };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => response }),
  } as unknown as ArgumentsHost;
  new HttpExceptionFilter().catch(exception, host);
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
});
