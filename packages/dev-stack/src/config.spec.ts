import { describe, expect, it } from '@jest/globals';
import { parseStackArgs, readStackConfig, StackConfigError } from './config.js';

describe('readStackConfig', () => {
  it('applies the defaults', () => {
    expect(readStackConfig({}, '/repo')).toEqual({
      sqsEndpoint: undefined,
      sqsPort: 4566,
      orderDatabaseUrl: undefined,
      shippingDatabaseUrl: undefined,
      postgresPort: 5433,
      dataDir: '/repo/.data',
      bindHost: '127.0.0.1',
      orderPort: 3000,
      shippingPort: 3001,
      consolePort: 3002,
    });
  });

  it('takes external endpoints and databases, treating blank values as unset', () => {
    const config = readStackConfig(
      {
        AWS_ENDPOINT_URL_SQS: 'http://localstack:4566',
        ORDER_DATABASE_URL: 'postgres://u@db/orders',
        SHIPPING_DATABASE_URL: ' ',
        STACK_DATA_DIR: '/tmp/x',
      },
      '/repo',
    );
    expect(config).toMatchObject({
      sqsEndpoint: 'http://localstack:4566',
      orderDatabaseUrl: 'postgres://u@db/orders',
      shippingDatabaseUrl: undefined,
      dataDir: '/tmp/x',
    });
  });

  it('names the variable and the allowed range', () => {
    expect(() => readStackConfig({ ORDER_PORT: '70000' }, '/repo')).toThrow(StackConfigError);
    expect(() => readStackConfig({ ORDER_PORT: '70000' }, '/repo')).toThrow(/ORDER_PORT: .*65535/);
    expect(() => readStackConfig({ AWS_ENDPOINT_URL_SQS: 'localhost:4566' }, '/repo')).toThrow(
      'AWS_ENDPOINT_URL_SQS: must be a URL',
    );
  });

  it('binds to an IP address given in STACK_BIND_HOST, and to nothing else', () => {
    expect(readStackConfig({ STACK_BIND_HOST: '0.0.0.0' }, '/repo').bindHost).toBe('0.0.0.0');
    expect(readStackConfig({ STACK_BIND_HOST: '::' }, '/repo').bindHost).toBe('::');
    for (const value of ['localhost', '*', '127.0.0.1:80', '300.1.1.1']) {
      expect(() => readStackConfig({ STACK_BIND_HOST: value }, '/repo')).toThrow(
        /STACK_BIND_HOST: must be an IP address: 127\.0\.0\.1 .* or 0\.0\.0\.0/,
      );
    }
  });
});

describe('parseStackArgs', () => {
  it('knows --reset and --json, and nothing else', () => {
    expect(parseStackArgs([])).toEqual({ reset: false, json: false });
    expect(parseStackArgs(['--json', '--reset'])).toEqual({ reset: true, json: true });
    expect(() => parseStackArgs(['--jsno'])).toThrow(StackConfigError);
    expect(() => parseStackArgs(['--jsno'])).toThrow(
      'Unknown option --jsno for npm start; the options are --reset and --json.',
    );
  });
});
