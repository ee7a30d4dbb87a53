import { describe, expect, it } from '@jest/globals';
import { classifyDatabaseFailure, isDatabaseUnavailable } from './database-failure.js';
import { DatabaseTimeoutError, InvalidOptionError } from './errors.js';

/** An error as Prisma throws it: `code`, `message`, `meta` (shapes as seen from Prisma 7 on @prisma/adapter-pg). */
function prismaError(code: string, message: string, meta: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code, meta, clientVersion: '7.10.1' });
}

/** Prisma's P2010/P2039 around a PostgreSQL error of the adapter. */
function postgresError(sqlState: string, message: string): Error {
  return prismaError('P2039', `Database error. Code: \`${sqlState}\`. Message: \`${message}\``, {
    driverAdapterError: Object.assign(new Error('postgres'), {
      name: 'DriverAdapterError',
      cause: { kind: 'postgres', originalCode: sqlState, code: sqlState, severity: 'ERROR', message },
    }),
  });
}

/** pg's DatabaseError, as it comes straight from `pg`. */
function pgDatabaseError(sqlState: string, message: string): Error {
  return Object.assign(new Error(message), { code: sqlState, severity: 'FATAL' });
}

function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, syscall: 'connect', errno: -111 });
}

describe('classifyDatabaseFailure', () => {
  it.each<[string, unknown]>([
    ['a query the server did not answer (DatabaseTimeoutError)', new DatabaseTimeoutError(3_000)],
    ['P1001, the server cannot be reached', prismaError('P1001', "Can't reach database server at 127.0.0.1:5432")],
    ['P1008, operations timed out', prismaError('P1008', 'Operations timed out')],
    ['P1017, the server closed the connection', prismaError('P1017', 'Server has closed the connection.')],
    ['P2024, no pooled connection in time', prismaError('P2024', 'Timed out fetching a new connection')],
    ['P2037, too many connections', prismaError('P2037', 'Too many database connections opened')],
    [
      "P2028, no connection within the transaction's maxWait",
      prismaError('P2028', 'Transaction API error: Unable to start a transaction in the given time.'),
    ],
    ["pg-pool's wait for a free connection", new Error('timeout exceeded when trying to connect')],
    [
      "pg-pool's connect timeout",
      new Error('Connection terminated due to connection timeout', {
        cause: new Error('Connection terminated unexpectedly'),
      }),
    ],
    ["pg's lost connection", new Error('Connection terminated unexpectedly')],
    ["pg's closed client", new Error('Client was closed and is not queryable')],
    ['ECONNREFUSED', socketError('ECONNREFUSED')],
    ['ECONNRESET', socketError('ECONNRESET')],
    ['57P01, the server shuts down', postgresError('57P01', 'terminating connection due to administrator command')],
    ['57P03, the server starts up', pgDatabaseError('57P03', 'the database system is starting up')],
    ['53300, too many connections', pgDatabaseError('53300', 'sorry, too many clients already')],
    ['class 08, a connection exception', postgresError('08006', 'connection failure')],
    ['a cause chain', new Error('the handler failed', { cause: new DatabaseTimeoutError(1_000) })],
  ])('%s: unavailable', (_, error) => {
    expect(classifyDatabaseFailure(error)).toBe('unavailable');
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['57014, statement_timeout', postgresError('57014', 'canceling statement due to statement timeout')],
    ['55P03, lock_timeout', pgDatabaseError('55P03', 'canceling statement due to lock timeout')],
    [
      'P2028 on an expired transaction',
      prismaError('P2028', 'Transaction API error: A query cannot be executed on an expired transaction.', {
        operation: 'query',
        timeout: 5_000,
        timeTaken: 5_012,
      }),
    ],
  ])('%s: timeout (the database answered; this work ran out of time)', (_, error) => {
    expect(classifyDatabaseFailure(error)).toBe('timeout');
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it.each<[string, unknown]>([
    ['P2002, a unique violation', prismaError('P2002', 'Unique constraint failed')],
    ['23505 from pg', pgDatabaseError('23505', 'duplicate key value violates unique constraint')],
    ['42P01, a missing table', postgresError('42P01', 'relation "x" does not exist')],
    ['P2028 on a closed transaction (a bug)', prismaError('P2028', 'Transaction API error: Transaction not found.')],
    ['a plain error', new Error('boom')],
    ['a coded error of another kind', new InvalidOptionError('x', 'must be y', 1)],
    ['a message that merely mentions a connection', Object.assign(new Error('Connection terminated'), { code: 'X' })],
    ['a string', 'Connection terminated'],
    ['null', null],
  ])('%s: not a database failure', (_, error) => {
    expect(classifyDatabaseFailure(error)).toBeUndefined();
  });
});
