import { SQSClient } from '@aws-sdk/client-sqs';
import { urlOption } from './validate.js';

/** How to reach SQS when no ready-made client is passed. */
export interface SqsConnectionOptions {
  /**
   * SQS endpoint, e.g. `http://127.0.0.1:4566` for an emulator or LocalStack.
   * Default: `AWS_ENDPOINT_URL_SQS`, then `AWS_ENDPOINT_URL`, else AWS's regional
   * endpoint. Setting it also stops the SDK from sending requests to the host
   * inside a queue URL, which does not resolve inside containers.
   */
  endpoint?: string;
  /** AWS region. Default: `AWS_REGION`, then `AWS_DEFAULT_REGION`, else `us-east-1`. */
  region?: string;
}

/**
 * Builds an SQS client with an explicit endpoint whenever one is configured.
 * Against a local endpoint with no credentials in the environment, it signs
 * with dummy credentials (emulators accept any).
 */
export function createSqsClient(options: SqsConnectionOptions = {}, env: NodeJS.ProcessEnv = process.env): SQSClient {
  const endpointSource = options.endpoint ?? env.AWS_ENDPOINT_URL_SQS ?? env.AWS_ENDPOINT_URL;
  const endpoint =
    endpointSource === undefined || endpointSource === '' ? undefined : urlOption('endpoint', endpointSource);
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const useDummyCredentials = endpoint !== undefined && !env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE;
  return new SQSClient({
    region,
    ...(endpoint ? { endpoint } : {}),
    ...(useDummyCredentials ? { credentials: { accessKeyId: 'test', secretAccessKey: 'test' } } : {}),
  });
}
