import { errorMessage, InvalidOptionError } from '@sqsref/sqs-transport/common';

/**
 * The transport's: this package checks its options with the transport's checks, so one `InvalidOptionError` class
 * serves both packages (`instanceof` holds whichever threw), and one `errorMessage`.
 */
export { errorMessage, InvalidOptionError };

/**
 * Every failure this package reports is one of these classes. Each has a
 * stable `code` (it never changes between releases), keeps the underlying
 * error as `cause`, and says in its message what to do.
 */
export type SqsPrismaErrorCode =
  | 'INVALID_OPTION'
  | 'INVALID_OUTBOX_ENTRY'
  | 'MIGRATIONS_DIRECTORY_INVALID'
  | 'MIGRATION_CHECKSUM_MISMATCH'
  | 'MIGRATION_PREVIOUSLY_FAILED'
  | 'MIGRATION_FAILED'
  | 'MIGRATION_LOCK_TIMEOUT'
  | 'SCHEMA_NOT_FOUND'
  | 'SCHEMA_ENGINE_FAILED'
  | 'SCHEMA_DRIFT'
  | 'POSTGRES_START_FAILED'
  | 'DATABASE_TIMEOUT';

export abstract class SqsPrismaError extends Error {
  abstract readonly code: SqsPrismaErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  /**
   * The transport's {@link InvalidOptionError}, which this package throws for its own options, counts as one of this
   * package's errors too: `error instanceof SqsPrismaError` holds for everything this package throws.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === SqsPrismaError && value instanceof InvalidOptionError) return true;
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/** An outbox entry cannot be sent as given (e.g. a FIFO queue without a group id). Nothing was written. */
export class InvalidOutboxEntryError extends SqsPrismaError {
  readonly code = 'INVALID_OUTBOX_ENTRY';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid outbox entry: ${problems.join('; ')}. Fix the call to addToOutbox(); nothing was written.`);
  }
}

/** The migrations directory is missing, unreadable, or not in Prisma's format. */
export class MigrationsDirectoryError extends SqsPrismaError {
  readonly code = 'MIGRATIONS_DIRECTORY_INVALID';
  constructor(
    readonly directory: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Migrations directory ${directory} is not usable: ${detail}. Point --migrations at a Prisma migrations folder (one sub-folder per migration, each with a migration.sql).`,
      options,
    );
  }
}

/** An applied migration's migration.sql was edited after it ran. */
export class MigrationChecksumMismatchError extends SqsPrismaError {
  readonly code = 'MIGRATION_CHECKSUM_MISMATCH';
  constructor(readonly migrationNames: readonly string[]) {
    super(
      `Applied migration(s) ${migrationNames.join(', ')} were edited after they ran (checksum differs from _prisma_migrations). Nothing was applied. Restore the original migration.sql from version control and put the change in a new migration.`,
    );
  }
}

/** A migration failed earlier and is still recorded as failed in `_prisma_migrations`. */
export class MigrationPreviouslyFailedError extends SqsPrismaError {
  readonly code = 'MIGRATION_PREVIOUSLY_FAILED';
  constructor(readonly migrationNames: readonly string[]) {
    super(
      `Migration(s) ${migrationNames.join(', ')} failed earlier and are recorded as failed in _prisma_migrations. Nothing was applied. Undo any partial changes by hand, then mark them rolled back (UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '<name>' AND finished_at IS NULL, which is what \`prisma migrate resolve --rolled-back <name>\` does) and run the migrations again.`,
    );
  }
}

/** A migration's SQL failed. Its own statements were rolled back; the failure is recorded in `_prisma_migrations`. */
export class MigrationFailedError extends SqsPrismaError {
  readonly code = 'MIGRATION_FAILED';
  constructor(
    readonly migrationName: string,
    options: { cause: unknown },
  ) {
    super(
      `Migration ${migrationName} failed: ${errorMessage(options.cause)}. It is recorded as failed in _prisma_migrations and later runs will refuse to continue until it is resolved: fix the SQL (or the data), mark it rolled back, and run again.`,
      options,
    );
  }
}

/** Another process held the migration lock for longer than `lockTimeoutMs`. */
export class MigrationLockTimeoutError extends SqsPrismaError {
  readonly code = 'MIGRATION_LOCK_TIMEOUT';
  constructor(
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(
      `Timed out after ${timeoutMs} ms waiting for the migration lock (pg_advisory_lock(72707369), shared with prisma migrate). Another process is migrating this database; wait for it, or raise lockTimeoutMs.`,
      options,
    );
  }
}

/** The Prisma schema file or folder does not exist or holds no `.prisma` file. */
export class SchemaNotFoundError extends SqsPrismaError {
  readonly code = 'SCHEMA_NOT_FOUND';
  constructor(
    readonly schemaPath: string,
    options?: { cause?: unknown },
  ) {
    super(
      `No Prisma schema found at ${schemaPath}. Pass the schema.prisma file, or the folder that holds your *.prisma files.`,
      options,
    );
  }
}

/** Prisma's schema engine (WebAssembly) rejected the schema or the migrations, or failed. */
export class SchemaEngineError extends SqsPrismaError {
  readonly code = 'SCHEMA_ENGINE_FAILED';
  constructor(
    readonly operation: string,
    options: { cause: unknown },
  ) {
    super(
      `Prisma's schema engine failed during ${operation}: ${errorMessage(options.cause)}. Check that the schema is valid (\`prisma validate\`), that every migration applies to an empty database, and that the database role may CREATE DATABASE (the check uses a temporary database).`,
      options,
    );
  }
}

/** schema.prisma and the migrations describe different databases. */
export class SchemaDriftError extends SqsPrismaError {
  readonly code = 'SCHEMA_DRIFT';
  constructor(
    /** Prisma's human-readable list of differences. */
    readonly summary: string,
    /** The SQL that would bring the migrations in line with the schema. */
    readonly script: string,
  ) {
    super(
      `The Prisma schema and the migrations disagree:\n${summary.trim()}\nAdd a migration with this SQL (sqs-prisma-drift --create-migration <name> writes it for you), or revert the schema change:\n${script.trim()}`,
    );
  }
}

/** The embedded PostgreSQL could not be initialised or started. */
export class PostgresStartError extends SqsPrismaError {
  readonly code = 'POSTGRES_START_FAILED';
  constructor(options: { cause: unknown }) {
    super(
      `Could not start the embedded PostgreSQL: ${errorMessage(options.cause)}. Set DATABASE_URL to a running PostgreSQL server instead (e.g. postgres://postgres@127.0.0.1:5432/postgres).`,
      options,
    );
  }
}

/**
 * The database did not answer a query within its deadline (a stalled or unreachable server: a live one cancels a slow
 * statement itself first, with `statement_timeout`). The connection was closed at once and is never reused, so an
 * open transaction on it cannot be committed later: the server rolls it back when it sees the connection gone.
 */
export class DatabaseTimeoutError extends SqsPrismaError {
  readonly code = 'DATABASE_TIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(
      `The database did not answer within ${timeoutMs} ms; the connection was closed and its open transaction, if any, is rolled back. Retry once the database answers again; if it is only slow, raise the timeout.`,
    );
  }
}
