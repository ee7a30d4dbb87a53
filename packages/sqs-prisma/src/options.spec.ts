import { describe, it, expect } from '@jest/globals';
import type { OutboxStore } from '@sqsref/sqs-transport';
import {
  InvalidOptionError as TransportInvalidOptionError,
  OutboxRelay,
  SqsTransportError,
} from '@sqsref/sqs-transport';
import { InvalidOptionError, MigrationFailedError, SqsPrismaError } from './errors.js';
import { postgresUrl, redactUrl, withDatabase } from './options.js';

describe('option errors', () => {
  it("are the transport's InvalidOptionError: instanceof holds whichever package threw", () => {
    const fromPrisma = captureError(() => postgresUrl('databaseUrl', 'mysql://h/db'));
    const fromTransport = captureError(() => new OutboxRelay({ store: {} as OutboxStore }));
    for (const error of [fromPrisma, fromTransport]) {
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect(error).toBeInstanceOf(TransportInvalidOptionError);
      expect(error).toMatchObject({ code: 'INVALID_OPTION' });
    }
    // Still one of this package's errors, and of the transport's.
    expect(fromPrisma).toBeInstanceOf(SqsPrismaError);
    expect(fromPrisma).toBeInstanceOf(SqsTransportError);
    expect(fromPrisma).not.toBeInstanceOf(MigrationFailedError);
    expect(new MigrationFailedError('m', { cause: new Error('x') })).not.toBeInstanceOf(InvalidOptionError);
  });
});

describe('postgresUrl', () => {
  it('accepts postgres and postgresql URLs', () => {
    expect(postgresUrl('databaseUrl', 'postgres://u@h:5432/db')).toBe('postgres://u@h:5432/db');
    expect(postgresUrl('databaseUrl', 'postgresql://u@h/db')).toBe('postgresql://u@h/db');
  });

  it('rejects other URLs without echoing the password', () => {
    const error = captureError(() => postgresUrl('databaseUrl', 'mysql://u:secret@h/db'));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as Error).message).not.toContain('secret');
    expect(() => postgresUrl('databaseUrl', 'not a url')).toThrow(InvalidOptionError);
  });
});

describe('redactUrl and withDatabase', () => {
  it('hides the password', () => {
    expect(redactUrl('postgres://u:secret@h:5432/db')).toBe('postgres://u:***@h:5432/db');
  });

  it('swaps the database and keeps everything else', () => {
    expect(withDatabase('postgres://u:p@h:5432/postgres?sslmode=disable', 'other')).toBe(
      'postgres://u:p@h:5432/other?sslmode=disable',
    );
  });
});

function captureError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
