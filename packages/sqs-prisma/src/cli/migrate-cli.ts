import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { applyMigrations } from '../migrate.js';
import { redactUrl } from '../options.js';
import { type CliIo, EXIT_OK, EXIT_USAGE, defaultPath, reportError } from './io.js';

export const MIGRATE_USAGE = `Usage: sqs-prisma-migrate [--database-url <url>] [--migrations <dir>] [--lock-timeout-ms <ms>]

Applies the pending migrations of a Prisma migrations directory, without any
Prisma engine, recording them in _prisma_migrations as prisma migrate deploy does.

  --database-url     the database to migrate (default: $DATABASE_URL)
  --migrations       the migrations directory (default: ./prisma/migrations)
  --lock-timeout-ms  how long to wait for another migrating process (default: 60000)

Exit codes: 0 applied or nothing to do, 1 failed, 2 usage error.`;

/** The sqs-prisma-migrate command; returns the exit code. */
export async function runMigrateCli(argv: readonly string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'database-url': { type: 'string' },
        migrations: { type: 'string' },
        'lock-timeout-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${MIGRATE_USAGE}`);
    return EXIT_USAGE;
  }
  if (values.help) {
    io.stdout(MIGRATE_USAGE);
    return EXIT_OK;
  }
  const databaseUrl = values['database-url'] ?? io.env.DATABASE_URL;
  if (!databaseUrl) {
    io.stderr(`No database: pass --database-url or set DATABASE_URL.\n\n${MIGRATE_USAGE}`);
    return EXIT_USAGE;
  }
  const lockTimeout = values['lock-timeout-ms'];
  const lockTimeoutMs = lockTimeout === undefined ? undefined : Number(lockTimeout);
  const migrationsDir = values.migrations ? resolve(io.cwd, values.migrations) : defaultPath(io, 'prisma/migrations');
  try {
    io.stdout(`Migrating ${redactUrl(databaseUrl)} from ${migrationsDir}`);
    const result = await applyMigrations({ databaseUrl, migrationsDir, lockTimeoutMs, log: (line) => io.stdout(line) });
    for (const name of result.applied) io.stdout(`applied ${name}`);
    return EXIT_OK;
  } catch (error) {
    return reportError(io, error);
  }
}
