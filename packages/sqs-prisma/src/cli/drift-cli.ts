import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { checkDrift, createMigration } from '../drift.js';
import { type CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE, defaultPath, reportError } from './io.js';

export const DRIFT_USAGE = `Usage: sqs-prisma-drift [--schema <path>] [--migrations <dir>] [--database-url <url>] [--create-migration <name>]

Checks that the Prisma schema and the migrations describe the same database,
offline, with Prisma's own schema engine (WebAssembly): the migrations are
replayed in a temporary database that is dropped afterwards.

  --schema            schema.prisma, or the folder of a multi-file schema
                      (default: ./prisma/schema.prisma, else ./prisma/schema)
  --migrations        the migrations directory (default: ./prisma/migrations)
  --database-url      a PostgreSQL server where the role may CREATE DATABASE
                      (default: $DATABASE_URL)
  --create-migration  instead of failing, write the missing migration as
                      <migrations>/<timestamp>_<name>/migration.sql

Exit codes: 0 in sync (or migration written), 1 drift or failure, 2 usage error.`;

/** The sqs-prisma-drift command; returns the exit code. */
export async function runDriftCli(argv: readonly string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        schema: { type: 'string' },
        migrations: { type: 'string' },
        'database-url': { type: 'string' },
        'create-migration': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${DRIFT_USAGE}`);
    return EXIT_USAGE;
  }
  if (values.help) {
    io.stdout(DRIFT_USAGE);
    return EXIT_OK;
  }
  const databaseUrl = values['database-url'] ?? io.env.DATABASE_URL;
  if (!databaseUrl) {
    io.stderr(`No database server: pass --database-url or set DATABASE_URL.\n\n${DRIFT_USAGE}`);
    return EXIT_USAGE;
  }
  const schemaPath = values.schema
    ? resolve(io.cwd, values.schema)
    : defaultPath(io, 'prisma/schema.prisma', 'prisma/schema');
  const migrationsDir = values.migrations ? resolve(io.cwd, values.migrations) : defaultPath(io, 'prisma/migrations');
  try {
    const name = values['create-migration'];
    if (name !== undefined) {
      const folder = await createMigration({ schemaPath, migrationsDir, databaseUrl, name });
      io.stdout(
        folder === null
          ? 'In sync: no migration needed.'
          : `Wrote ${migrationsDir}/${folder}/migration.sql; review it before committing.`,
      );
      return EXIT_OK;
    }
    const report = await checkDrift({ schemaPath, migrationsDir, databaseUrl });
    if (report.inSync) {
      io.stdout(`In sync: ${schemaPath} matches ${migrationsDir}.`);
      return EXIT_OK;
    }
    io.stderr(
      `Drift: ${schemaPath} and ${migrationsDir} disagree.\n${report.summary}\n\nThe migrations lack this SQL (add it with --create-migration <name>):\n${report.script}`,
    );
    return EXIT_FAILED;
  } catch (error) {
    return reportError(io, error);
  }
}
