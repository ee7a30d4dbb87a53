import { describe, expect, it } from '@jest/globals';
import { InvalidContextError, parseEnvironments } from './environment-config.js';

/** The problems of an invalid context, one per line. */
function problemsOf(value: unknown): readonly string[] {
  try {
    parseEnvironments(value);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidContextError);
    expect((error as InvalidContextError).code).toBe('INVALID_CONTEXT');
    return (error as InvalidContextError).problems;
  }
  throw new Error('parseEnvironments accepted it');
}

describe('parseEnvironments', () => {
  it('gives an empty environment every default, and names its stack after it', () => {
    const [staging] = parseEnvironments({ staging: {} });
    expect(staging).toMatchObject({
      name: 'staging',
      stackName: 'SqsRef-staging',
      encryption: 'sqs-managed',
      maxAzs: 2,
      natGateways: 1,
      removalPolicy: 'retain',
      logRetentionDays: 30,
      database: { instanceClass: 't4g.micro', allocatedStorageGiB: 20, multiAz: false, backupRetentionDays: 7 },
      orderApi: { internetFacing: false, rateLimitPerMinute: 600 },
      alarms: { oldestMessageAgeSeconds: 600 },
      images: {},
    });
    expect(staging?.services['order-service']).toEqual({
      cpu: 256,
      memoryMiB: 512,
      minTasks: 1,
      maxTasks: 4,
      backlogPerTaskTarget: 500,
    });
    expect(staging?.services['shipping-service'].backlogPerTaskTarget).toBe(100);
  });

  it('keeps the given values, and accepts the context as a JSON string (-c on the command line)', () => {
    const [production] = parseEnvironments(
      JSON.stringify({
        production: {
          stackName: 'Orders-Prod',
          encryption: 'kms',
          services: { 'order-service': { cpu: 1024, memoryMiB: 4096, minTasks: 2, maxTasks: 8 } },
        },
      }),
    );
    expect(production?.stackName).toBe('Orders-Prod');
    expect(production?.encryption).toBe('kms');
    expect(production?.services['order-service']).toMatchObject({ cpu: 1024, memoryMiB: 4096, minTasks: 2 });
  });

  it('lists every problem with its path and the allowed values', () => {
    const problems = problemsOf({
      staging: {
        encryption: 'aes',
        services: { 'order-service': { cpu: 256, memoryMiB: 4096, minTasks: 3, maxTasks: 2 } },
        logRetentionDays: 31,
        colour: 'blue',
      },
      production: { orderApi: { internetFacing: true } },
      Prod: {},
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^staging\.encryption: .*"sqs-managed"\|"kms"/),
        'staging.services.order-service.memoryMiB: with cpu 256, Fargate allows 512 to 2048 in steps of 512',
        'staging.services.order-service.maxTasks: must be at least minTasks (3)',
        expect.stringMatching(/^staging\.logRetentionDays: must be one of 1, 3, 5, 7, 14, 30,/),
        expect.stringMatching(/^staging: Unrecognized key: "colour"/),
        'production.orderApi.certificateArn: is required when internetFacing is true (the API is served over HTTPS only)',
        "Prod: an environment's name must be lower case letters, digits and hyphens (31 at most)",
      ]),
    );
  });

  it('refuses no environments, malformed JSON, and two environments with one stack name', () => {
    expect(problemsOf(undefined)).toEqual([expect.stringMatching(/must be an object of environments by name/)]);
    expect(problemsOf({})).toEqual([expect.stringMatching(/must be an object of environments by name/)]);
    expect(problemsOf('{staging')).toEqual([expect.stringMatching(/^is not valid JSON/)]);
    expect(problemsOf({ a: { stackName: 'Same' }, b: { stackName: 'Same' } })).toEqual([
      'stackName: "Same" is used by more than one environment',
    ]);
  });

  it('says where the context comes from in its message', () => {
    expect(() => parseEnvironments({ staging: { maxAzs: 1 } })).toThrow(
      /Invalid CDK context "sqsref:environments" \(cdk\.json or -c\):\n {2}staging\.maxAzs: /,
    );
  });
});
