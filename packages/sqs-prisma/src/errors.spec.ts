import { describe, it, expect } from '@jest/globals';
import {
  InvalidOptionError,
  MigrationChecksumMismatchError,
  MigrationFailedError,
  MigrationLockTimeoutError,
  MigrationPreviouslyFailedError,
  MigrationsDirectoryError,
  PostgresStartError,
  SchemaDriftError,
  SchemaEngineError,
  SchemaNotFoundError,
  SqsPrismaError,
  InvalidOutboxEntryError,
  DatabaseTimeoutError,
  errorMessage,
} from './errors.js';

describe('errors', () => {
  const cause = new Error('underlying');
  const cases: [SqsPrismaError, string][] = [
    [new InvalidOptionError('limit', 'must be positive', -1), 'INVALID_OPTION'],
    [new InvalidOutboxEntryError(['x']), 'INVALID_OUTBOX_ENTRY'],
    [new MigrationsDirectoryError('/m', 'missing', { cause }), 'MIGRATIONS_DIRECTORY_INVALID'],
    [new MigrationChecksumMismatchError(['a']), 'MIGRATION_CHECKSUM_MISMATCH'],
    [new MigrationPreviouslyFailedError(['a']), 'MIGRATION_PREVIOUSLY_FAILED'],
    [new MigrationFailedError('a', { cause }), 'MIGRATION_FAILED'],
    [new MigrationLockTimeoutError(10, { cause }), 'MIGRATION_LOCK_TIMEOUT'],
    [new SchemaNotFoundError('/s', { cause }), 'SCHEMA_NOT_FOUND'],
    [new SchemaEngineError('diff', { cause }), 'SCHEMA_ENGINE_FAILED'],
    [new SchemaDriftError('summary', 'ALTER TABLE x;'), 'SCHEMA_DRIFT'],
    [new PostgresStartError({ cause }), 'POSTGRES_START_FAILED'],
    [new DatabaseTimeoutError(2_500), 'DATABASE_TIMEOUT'],
  ];

  it.each(cases)('%s has a stable code, its class name, and a message', (error, code) => {
    expect(error).toBeInstanceOf(SqsPrismaError);
    expect(error.code).toBe(code);
    expect(error.name).toBe(error.constructor.name);
    expect(error.message.length).toBeGreaterThan(20);
  });

  it('keeps the cause and puts its message in its own', () => {
    const error = new MigrationFailedError('20270101000000_x', { cause });
    expect(error.cause).toBe(cause);
    expect(error.message).toContain('underlying');
  });

  it('says what to do', () => {
    expect(new MigrationPreviouslyFailedError(['m']).message).toContain('prisma migrate resolve --rolled-back');
    expect(new SchemaDriftError('[+] Added column', 'ALTER TABLE "t" ADD COLUMN "c" TEXT;').message).toContain(
      '--create-migration',
    );
    expect(new InvalidOptionError('limit', 'must be an integer from 1 to 10', 0).message).toBe(
      'Invalid option "limit": must be an integer from 1 to 10 (received 0).',
    );
  });

  it('errorMessage handles anything thrown', () => {
    expect(errorMessage(new Error('a'))).toBe('a');
    expect(errorMessage('b')).toBe('b');
    expect(errorMessage({ c: 1 })).toBe('{"c":1}');
  });
});
