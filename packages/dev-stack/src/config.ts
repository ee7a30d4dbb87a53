import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';

/** What the stack reads from the environment; every variable is optional. */
export interface StackConfig {
  /** Use this SQS endpoint (LocalStack, AWS) instead of starting fauxqs. From `AWS_ENDPOINT_URL_SQS`. */
  sqsEndpoint: string | undefined;
  /** Port of the embedded SQS emulator. `SQS_PORT`, default 4566. */
  sqsPort: number;
  /** Database of the order service; default a database `orders` on the embedded server. `ORDER_DATABASE_URL`. */
  orderDatabaseUrl: string | undefined;
  /** Database of the shipping service; default a database `shipping` on the embedded server. `SHIPPING_DATABASE_URL`. */
  shippingDatabaseUrl: string | undefined;
  /** Port of the embedded PostgreSQL. `STACK_PG_PORT`, default 5433 (5432 is often taken by a system server). */
  postgresPort: number;
  /**
   * Where the embedded PostgreSQL (`postgres/`) and the emulator's queues (`sqs/`) are kept between starts, and where
   * a running stack records its URLs (`stack.json`). `STACK_DATA_DIR`, default `.data` in the repo.
   */
  dataDir: string;
  /**
   * The address every server of the stack listens on (emulator, PostgreSQL, both services). `STACK_BIND_HOST`, an IP
   * address; default `127.0.0.1`, this machine only. `0.0.0.0` (or `::`) opens the stack to the network.
   */
  bindHost: string;
  /** HTTP port of the order service. `ORDER_PORT`, default 3000. */
  orderPort: number;
  /** HTTP port of the shipping service. `SHIPPING_PORT`, default 3001. */
  shippingPort: number;
  /** HTTP port of the operations console (ops/console). `CONSOLE_PORT`, default 3002. */
  consolePort: number;
}

const port = (fallback: number) => z.coerce.number().int().min(1).max(65_535).default(fallback);
const url = z
  .string()
  .regex(/^[a-z][a-z0-9+.-]*:\/\/\S+$/i, 'must be a URL')
  .optional();

const schema = z.object({
  AWS_ENDPOINT_URL_SQS: url,
  SQS_PORT: port(4566),
  ORDER_DATABASE_URL: url,
  SHIPPING_DATABASE_URL: url,
  STACK_PG_PORT: port(5433),
  STACK_DATA_DIR: z.string().min(1).optional(),
  STACK_BIND_HOST: z
    .string()
    .refine(
      (value) => isIP(value) !== 0,
      'must be an IP address: 127.0.0.1 (default, this machine only) or 0.0.0.0 (every interface)',
    )
    .default('127.0.0.1'),
  ORDER_PORT: port(3000),
  SHIPPING_PORT: port(3001),
  CONSOLE_PORT: port(3002),
});

/** Thrown for an environment variable the stack cannot use; the message names it and the allowed values. */
export class StackConfigError extends Error {
  readonly code = 'STACK_CONFIG_INVALID';
}

/** Reads and validates the stack's environment. `repoRoot` anchors the default data directory. */
export function readStackConfig(env: NodeJS.ProcessEnv, repoRoot: string): StackConfig {
  const blank = (value: string | undefined): string | undefined =>
    value === undefined || value.trim() === '' ? undefined : value;
  const parsed = schema.safeParse(Object.fromEntries(Object.keys(schema.shape).map((key) => [key, blank(env[key])])));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new StackConfigError(`Invalid environment for npm start: ${problems.join('; ')}.`);
  }
  const values = parsed.data;
  return {
    sqsEndpoint: values.AWS_ENDPOINT_URL_SQS,
    sqsPort: values.SQS_PORT,
    orderDatabaseUrl: values.ORDER_DATABASE_URL,
    shippingDatabaseUrl: values.SHIPPING_DATABASE_URL,
    postgresPort: values.STACK_PG_PORT,
    dataDir: resolve(repoRoot, values.STACK_DATA_DIR ?? '.data'),
    bindHost: values.STACK_BIND_HOST,
    orderPort: values.ORDER_PORT,
    shippingPort: values.SHIPPING_PORT,
    consolePort: values.CONSOLE_PORT,
  };
}

/** The command-line options of `npm start` (`npm start -- --json`). */
export interface StackArgs {
  /** `--reset`: delete the databases and the queues first (`npm run start:reset`). */
  reset: boolean;
  /** `--json`: show the services' raw JSON log lines instead of the compact view. */
  json: boolean;
}

/** Reads `npm start`'s arguments; an unknown one is an error that lists the known ones. */
export function parseStackArgs(args: readonly string[]): StackArgs {
  const unknown = args.filter((arg) => arg !== '--reset' && arg !== '--json');
  if (unknown.length > 0) {
    throw new StackConfigError(
      `Unknown option ${unknown.join(' ')} for npm start; the options are --reset and --json.`,
    );
  }
  return { reset: args.includes('--reset'), json: args.includes('--json') };
}
