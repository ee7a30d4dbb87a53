import { HttpException } from '@nestjs/common';

/** One invalid input field. `field` is a dotted path into the body (`items.0.quantity`), a parameter or a header. */
export interface FieldError {
  field: string;
  message: string;
}

/** Every error response of the services has this shape. */
export interface ErrorBody {
  statusCode: number;
  /** Stable, machine-readable: `VALIDATION_FAILED`, `ORDER_NOT_FOUND`, ... */
  code: string;
  message: string;
  /** Per-field problems, for 400 responses. */
  errors?: FieldError[];
  /** Anything else the client needs to act, e.g. the current `status` of a resource. */
  [detail: string]: unknown;
}

/** An HTTP error with a stable code; the exception filter renders it as an {@link ErrorBody}. */
export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super({ statusCode: status, code, message, ...details } satisfies ErrorBody, status);
  }
}

/** 400 with the field errors. */
export class ValidationFailedError extends ApiError {
  constructor(readonly errors: FieldError[]) {
    super(400, 'VALIDATION_FAILED', 'The request is invalid; see errors for each field.', { errors });
  }
}
