import { describe, expect, it } from '@jest/globals';
import { createSqsClient } from './sqs-client.js';

describe('createSqsClient', () => {
  it('uses the explicit endpoint option first', async () => {
    const client = createSqsClient({ endpoint: 'http://127.0.0.1:4566', region: 'eu-west-1' }, {});
    const endpoint = await client.config.endpoint?.();
    expect(endpoint?.hostname).toBe('127.0.0.1');
    expect(endpoint?.port).toBe(4566);
    expect(await client.config.region()).toBe('eu-west-1');
  });

  it('falls back to AWS_ENDPOINT_URL_SQS and signs with dummy credentials', async () => {
    const client = createSqsClient({}, { AWS_ENDPOINT_URL_SQS: 'http://localstack:4566' });
    expect((await client.config.endpoint?.())?.hostname).toBe('localstack');
    const credentials = await client.config.credentials();
    expect(credentials.accessKeyId).toBe('test');
  });

  it('rejects an endpoint that is not an http(s) URL, naming the option', () => {
    expect(() => createSqsClient({ endpoint: 'localhost:4566' }, {})).toThrow('"endpoint": must be an http(s) URL');
  });

  it('leaves the endpoint to the SDK when none is configured', () => {
    const client = createSqsClient({}, { AWS_REGION: 'us-west-2' });
    expect(client.config.endpoint).toBeUndefined();
  });
});
