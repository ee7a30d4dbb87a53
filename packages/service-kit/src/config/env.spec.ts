import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../errors.js';
import { env, loadConfig } from './env.js';
import { serviceEnv } from './service-env.js';

const shape = {
  PORT: env.integer({ default: 3000, min: 0, max: 65_535 }),
  RATE: env.number({ default: 0.5, min: 0, max: 1 }),
  TIMEOUT: env.optionalInteger({ min: 1, max: 60 }),
  ENABLED: env.boolean(true),
  MODE: env.oneOf(['fast', 'safe'] as const, 'safe'),
  NAME: env.string({ maxLength: 5 }),
  DATABASE_URL: env.postgresUrl(),
  ENDPOINT: env.optionalHttpUrl(),
};
const valid = { NAME: 'svc', DATABASE_URL: 'postgres://u:p@db:5432/x' };

function problems(source: Record<string, string | undefined>): string[] {
  try {
    loadConfig('svc', shape, source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((problem) => `${problem.variable}: ${problem.message}`);
  }
  return [];
}

describe('loadConfig', () => {
  it('applies defaults, parses values, and treats empty strings as unset', () => {
    expect(loadConfig('svc', shape, { ...valid, PORT: '8080', RATE: '', ENABLED: 'no', TIMEOUT: ' 5 ' })).toEqual({
      PORT: 8080,
      RATE: 0.5,
      TIMEOUT: 5,
      ENABLED: false,
      MODE: 'safe',
      NAME: 'svc',
      DATABASE_URL: 'postgres://u:p@db:5432/x',
      ENDPOINT: undefined,
    });
  });

  it('lists every problem with the variable, what it must be, and what it got', () => {
    expect(
      problems({
        PORT: '3.5',
        RATE: '2',
        TIMEOUT: '0',
        ENABLED: 'maybe',
        MODE: 'turbo',
        NAME: 'too-long',
        ENDPOINT: 'ftp://x',
      }),
    ).toEqual([
      'PORT: must be an integer from 0 to 65535 (received "3.5")',
      'RATE: must be a number from 0 to 1 (received "2")',
      'TIMEOUT: must be an integer from 1 to 60 (received "0")',
      'ENABLED: must be true or false (received "maybe")',
      'MODE: must be one of fast, safe (received "turbo")',
      'NAME: must be at most 5 characters (received "too-long")',
      'DATABASE_URL: is required: a postgres:// URL, e.g. postgres://user:password@host:5432/orders',
      'ENDPOINT: must be an http:// or https:// URL (received "ftp://x")',
    ]);
  });

  it('never echoes a password', () => {
    const [problem] = problems({ ...valid, DATABASE_URL: 'mysql://user:hunter2@db/x' });
    expect(problem).toBe('DATABASE_URL: must be a postgres:// or postgresql:// URL (received "mysql://user:***@db/x")');
  });

  it('refuses a renamed variable, naming its replacement, and ignores it when unset', () => {
    const renamedShape = { OLD_SECONDS: env.renamed('NEW_MS') };
    expect(loadConfig('svc', renamedShape, {})).toEqual({ OLD_SECONDS: undefined });
    expect(loadConfig('svc', renamedShape, { OLD_SECONDS: ' ' })).toEqual({ OLD_SECONDS: undefined });
    expect(() => loadConfig('svc', renamedShape, { OLD_SECONDS: '5' })).toThrow(
      'OLD_SECONDS: was renamed: set NEW_MS instead',
    );
  });

  it('says which service and that the README lists the variables', () => {
    expect(() => loadConfig('order-service', serviceEnv({ port: 3000 }), {})).toThrow(
      /^Invalid configuration of order-service \(1 problem\):\n {2}- DATABASE_URL: is required/,
    );
  });
});

describe('serviceEnv: DEPENDENCY_TIMEOUT_MS', () => {
  const base = { DATABASE_URL: 'postgres://u@db:5432/x' };
  const load = (value?: string) =>
    loadConfig('svc', serviceEnv({ port: 3000 }), { ...base, DEPENDENCY_TIMEOUT_MS: value }).DEPENDENCY_TIMEOUT_MS;

  it('bounds a request on a hanging dependency at 5 s by default, configurable', () => {
    expect(load()).toBe(5_000);
    expect(load('1500')).toBe(1_500);
  });

  it.each(['99', '600001', '2.5', 'soon'])('rejects %s, naming the range', (value) => {
    expect(() => load(value)).toThrow(
      `DEPENDENCY_TIMEOUT_MS: must be an integer from 100 to 600000 (received ${JSON.stringify(value)})`,
    );
  });
});
