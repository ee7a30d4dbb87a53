import { describe, expect, it } from '@jest/globals';
import { readStackConfig, StackConfigError } from './config.js';

describe('readStackConfig', () => {
  it('applies the defaults', () => {
    expect(readStackConfig({}, '/repo')).toEqual({
      sqsEndpoint: undefined,
      sqsPort: 4566,
      orderDatabaseUrl: undefined,
      shippingDatabaseUrl: undefined,
      postgresPort: 5433,
      dataDir: '/repo/.data',
      orderPort: 3000,
      shippingPort: 3001,
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
});
