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
  /** Where the embedded PostgreSQL keeps its data between starts. `STACK_DATA_DIR`, default `.data` in the repo. */
  dataDir: string;
  /** HTTP port of the order service. `ORDER_PORT`, default 3000. */
  orderPort: number;
  /** HTTP port of the shipping service. `SHIPPING_PORT`, default 3001. */
  shippingPort: number;
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
  ORDER_PORT: port(3000),
  SHIPPING_PORT: port(3001),
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
    orderPort: values.ORDER_PORT,
    shippingPort: values.SHIPPING_PORT,
  };
}
