import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '@sqsref/service-kit';
import { copiedSqsModels, undocumentedVariables } from '@sqsref/service-kit/testing';
import { checkDrift } from '@sqsref/sqs-prisma';
import type { PostgresServer } from '@sqsref/sqs-prisma/testing';
import { startPostgres } from '@sqsref/sqs-prisma/testing';
import { MIGRATIONS_DIR } from '../src/app.js';
import { orderServiceEnv } from '../src/config.js';

jest.setTimeout(60_000);

const file = (path: string) => fileURLToPath(new URL(path, import.meta.url));

describe('the Prisma schema', () => {
  let postgres: PostgresServer;
  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(async () => {
    await postgres?.stop();
  });

  it('includes the sqs-prisma models verbatim', () => {
    const { copy, source } = copiedSqsModels(file('../prisma/schema.prisma'));
    expect(copy).toBe(source);
  });

  it('matches its migrations (no drift)', async () => {
    const report = await checkDrift({
      schemaPath: file('../prisma/schema.prisma'),
      migrationsDir: MIGRATIONS_DIR,
      databaseUrl: postgres.url,
    });
    expect(report.summary).toBe('');
    expect(report.inSync).toBe(true);
  });
});

describe('the configuration', () => {
  const required = { DATABASE_URL: 'postgres://orders:secret@db:5432/orders' };

  it('has a default for everything but DATABASE_URL', () => {
    expect(loadConfig('order-service', orderServiceEnv, required)).toMatchObject({
      PORT: 3000,
      SQS_CONCURRENCY: 50,
      SQS_VISIBILITY_TIMEOUT_SECONDS: undefined,
      MIGRATE_ON_START: true,
      LOG_LEVEL: 'info',
      TRUST_PROXY_HOPS: 0,
      DATABASE_PASSWORD: undefined,
      ORDERS_RATE_LIMIT_PER_MINUTE: 0,
    });
  });

  it('names each invalid variable with its allowed values, and never echoes a password', () => {
    let error: unknown;
    try {
      loadConfig('order-service', orderServiceEnv, {
        DATABASE_URL: 'mysql://orders:secret@db/orders',
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect((error as ConfigError).code).toBe('CONFIG_INVALID');
    expect(message).toContain('PORT: must be an integer from 0 to 65535 (received "eighty")');
    expect(message).toContain('LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent');
    expect(message).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL');
    expect(message).not.toContain('secret');
  });

  it('is documented in the README, every variable', () => {
    expect(undocumentedVariables(file('../README.md'), Object.keys(orderServiceEnv))).toEqual([]);
  });
});
