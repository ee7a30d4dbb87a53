import { describe, expect, it } from '@jest/globals';
import { LeaseBusyError } from './consumer/idempotency.js';
import type { SqsTransportError, SqsTransportErrorCode } from './errors.js';
import {
  DeleteFailedError,
  DependencyUnavailableError,
  errorCode,
  errorMessage,
  HandlerFailedError,
  InvalidEnvelopeError,
  InvalidJsonError,
  InvalidOptionError,
  isRetryable,
  LeaseLostError,
  MaxProcessingTimeExceededError,
  MessageTooLargeError,
  MissingGroupIdError,
  NonRetryableError,
  NoRouteError,
  PayloadValidationError,
  SendFailedError,
  ShutdownDeadlineExceededError,
  SqsTransportError as BaseError,
  TransportClosedError,
  UnknownEventTypeError,
} from './errors.js';

const cause = new Error('underlying');

const cases: Array<[string, SqsTransportError, string, boolean]> = [
  [
    'InvalidOptionError',
    new InvalidOptionError('concurrency', 'must be an integer from 1 to 10', 0),
    'INVALID_OPTION',
    true,
  ],
  ['InvalidJsonError', new InvalidJsonError(cause), 'INVALID_JSON', false],
  ['InvalidEnvelopeError', new InvalidEnvelopeError(['"id" must be a non-empty string']), 'INVALID_ENVELOPE', false],
  ['UnknownEventTypeError', new UnknownEventTypeError('order.placed'), 'UNKNOWN_EVENT_TYPE', false],
  ['PayloadValidationError', new PayloadValidationError('order.placed', ['items: required']), 'PAYLOAD_INVALID', false],
  ['NonRetryableError', new NonRetryableError('this order can never be shipped', { cause }), 'NON_RETRYABLE', false],
  ['LeaseLostError', new LeaseLostError('receipt handle gone', { cause }), 'LEASE_LOST', true],
  ['LeaseBusyError', new LeaseBusyError({ consumer: 'c', eventId: 'e' }), 'LEASE_LOST', true],
  ['MaxProcessingTimeExceededError', new MaxProcessingTimeExceededError(60), 'MAX_PROCESSING_TIME_EXCEEDED', true],
  ['ShutdownDeadlineExceededError', new ShutdownDeadlineExceededError(30_000), 'SHUTDOWN_DEADLINE_EXCEEDED', true],
  ['MessageTooLargeError', new MessageTooLargeError(300_000, 262_144), 'MESSAGE_TOO_LARGE', false],
  ['SendFailedError', new SendFailedError('http://q', 'InternalError', 'boom', { cause }), 'SEND_FAILED', true],
  ['DeleteFailedError', new DeleteFailedError('http://q', 'InternalError', 'boom', { cause }), 'DELETE_FAILED', true],
  ['NoRouteError', new NoRouteError('order.placed'), 'NO_ROUTE', false],
  ['TransportClosedError', new TransportClosedError('SqsClientProxy.emit()'), 'TRANSPORT_CLOSED', true],
  [
    'HandlerFailedError',
    new HandlerFailedError({ status: 'error', message: 'Internal server error' }),
    'HANDLER_FAILED',
    true,
  ],
  ['MissingGroupIdError', new MissingGroupIdError('order.placed', 'http://q.fifo'), 'MISSING_GROUP_ID', false],
  [
    'DependencyUnavailableError',
    new DependencyUnavailableError('the database', { cause }),
    'DEPENDENCY_UNAVAILABLE',
    true,
  ],
];

describe('transport errors', () => {
  it.each(cases)('%s has its stable code, name and retryable flag', (name, error, code, retryable) => {
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(BaseError);
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
    expect(error.retryable).toBe(retryable);
    expect(isRetryable(error)).toBe(retryable);
    expect(errorCode(error)).toBe(code);
    expect(error.message.length).toBeGreaterThan(20);
    expect(error.stack).toContain(name);
  });

  it('covers every error class the package exports, and every code exactly once (LeaseBusyError shares LEASE_LOST)', async () => {
    const entry = (await import('./index.js')) as Record<string, unknown>;
    const exported = Object.entries(entry)
      .filter(
        ([, value]) => typeof value === 'function' && (value as { prototype: unknown }).prototype instanceof BaseError,
      )
      .map(([name]) => name)
      .sort();
    expect(cases.map(([name]) => name).sort()).toEqual(exported);
    for (const [name, error] of cases) expect(error.constructor.name).toBe(name);
    // Every code of the union (the compiler checks this list against it), each carried by exactly one case.
    const everyCode = {
      INVALID_OPTION: 1,
      INVALID_JSON: 1,
      INVALID_ENVELOPE: 1,
      UNKNOWN_EVENT_TYPE: 1,
      PAYLOAD_INVALID: 1,
      NON_RETRYABLE: 1,
      LEASE_LOST: 2,
      MAX_PROCESSING_TIME_EXCEEDED: 1,
      SHUTDOWN_DEADLINE_EXCEEDED: 1,
      MESSAGE_TOO_LARGE: 1,
      SEND_FAILED: 1,
      DELETE_FAILED: 1,
      NO_ROUTE: 1,
      TRANSPORT_CLOSED: 1,
      HANDLER_FAILED: 1,
      MISSING_GROUP_ID: 1,
      DEPENDENCY_UNAVAILABLE: 1,
    } satisfies Record<SqsTransportErrorCode, number>;
    const counts: Record<string, number> = {};
    for (const [, error] of cases) counts[error.code] = (counts[error.code] ?? 0) + 1;
    expect(counts).toEqual(everyCode);
  });

  it('keeps the cause where one is given', () => {
    expect(new InvalidJsonError(cause).cause).toBe(cause);
    expect(new NonRetryableError('x', { cause }).cause).toBe(cause);
    expect(new LeaseLostError('x', { cause }).cause).toBe(cause);
    expect(new SendFailedError('http://q', undefined, 'x', { cause }).cause).toBe(cause);
    expect(new DeleteFailedError('http://q', undefined, 'x', { cause }).cause).toBe(cause);
    expect(new NonRetryableError('x').cause).toBeUndefined();
  });

  it('keeps the facts a caller needs as fields', () => {
    expect(new InvalidOptionError('prefetch', 'r', -1)).toMatchObject({ option: 'prefetch' });
    expect(new InvalidEnvelopeError(['a', 'b'])).toMatchObject({ problems: ['a', 'b'] });
    expect(new UnknownEventTypeError('t')).toMatchObject({ eventType: 't' });
    expect(new PayloadValidationError('t', ['i'])).toMatchObject({ eventType: 't', issues: ['i'] });
    expect(new MaxProcessingTimeExceededError(60_000)).toMatchObject({ limitMs: 60_000 });
    expect(new ShutdownDeadlineExceededError(5)).toMatchObject({ deadlineMs: 5 });
    expect(new MessageTooLargeError(2, 1)).toMatchObject({ sizeBytes: 2, limitBytes: 1 });
    expect(new SendFailedError('u', 'C', 'd')).toMatchObject({ queueUrl: 'u', sqsCode: 'C' });
    expect(new DeleteFailedError('u', 'C', 'd')).toMatchObject({ queueUrl: 'u', sqsCode: 'C' });
    expect(new NoRouteError('t')).toMatchObject({ eventType: 't' });
    expect(new HandlerFailedError({ a: 1 })).toMatchObject({ detail: { a: 1 } });
    expect(new MissingGroupIdError('t', 'u')).toMatchObject({ eventType: 't' });
    expect(new DependencyUnavailableError('the database', { cause })).toMatchObject({
      dependency: 'the database',
      cause,
    });
  });

  it('says what to change in its message', () => {
    expect(new InvalidOptionError('concurrency', 'must be an integer from 1 to 10', '8').message).toBe(
      'Invalid option "concurrency": must be an integer from 1 to 10 (received "8").',
    );
    expect(new InvalidOptionError('x', 'r', undefined).message).toContain('(received undefined)');
    expect(new SendFailedError('http://q', 'InvalidParameterValue', 'bad', { senderFault: true }).message).toContain(
      'sender fault',
    );
    expect(new SendFailedError('http://q', undefined, 'gave up').message).toContain('was retried');
    expect(new HandlerFailedError({ status: 'error' }).message).toContain('{"status":"error"}');
    expect(new HandlerFailedError({}).message).toContain('SqsExceptionFilter');
  });
});

describe('errorCode', () => {
  it("returns the transport code, an error's string code, its name, or UNKNOWN", () => {
    expect(errorCode(new NoRouteError('t'))).toBe('NO_ROUTE');
    expect(errorCode(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe('ECONNRESET');
    expect(errorCode(Object.assign(new Error('gone'), { name: 'QueueDoesNotExist' }))).toBe('QueueDoesNotExist');
    expect(errorCode(Object.assign(new Error('n'), { code: 42 }))).toBe('Error');
    expect(errorCode(new TypeError('t'))).toBe('TypeError');
    expect(errorCode('a string')).toBe('UNKNOWN');
    expect(errorCode(undefined)).toBe('UNKNOWN');
  });
});

describe('isRetryable', () => {
  it('retries anything but a non-retryable transport error', () => {
    expect(isRetryable(new Error('db down'))).toBe(true);
    expect(isRetryable('thrown string')).toBe(true);
    expect(isRetryable(undefined)).toBe(true);
    expect(isRetryable(new LeaseLostError('x'))).toBe(true);
    expect(isRetryable(new NonRetryableError('x'))).toBe(false);
    expect(isRetryable(new PayloadValidationError('t', []))).toBe(false);
  });
});

describe('errorMessage', () => {
  it('describes whatever was thrown', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('text')).toBe('text');
    expect(errorMessage({ status: 'error' })).toBe('{"status":"error"}');
    expect(errorMessage(undefined)).toBe('undefined');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(errorMessage(circular)).toBe('[object Object]');
  });
});
