import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { serviceEnv } from '@sqsref/service-kit/config';
import { readQueueDefinitions } from '../src/queue-definitions-file.js';
import type { Synthesized } from './support/synth.js';
import { queueNamesOf, queuesMissingFrom, resourcesOf, synthesize } from './support/synth.js';

// One synthesis for the whole file (the app's two stacks: SQS-managed encryption with images built from the
// Dockerfiles, and a customer-managed KMS key with ready ECR images and other sizes). Every test reads the templates.
const definitions = readQueueDefinitions();
let synth: Synthesized;
let plain: Template;
let kms: Template;

beforeAll(() => {
  synth = synthesize({
    plain: {},
    kms: {
      encryption: 'kms',
      stackName: 'SqsRef-KmsTest',
      services: {
        'shipping-service': { cpu: 1024, memoryMiB: 2048, minTasks: 2, maxTasks: 6, backlogPerTaskTarget: 40 },
      },
      images: { 'order-service': { repository: 'sqsref/order-service', tag: '1.2.3' } },
      alarms: { oldestMessageAgeSeconds: 120, email: 'oncall@example.com' },
    },
  });
  plain = synth.templates.get('plain') as Template;
  kms = synth.templates.get('kms') as Template;
}, 120_000); // a synthesis takes seconds, tens of them on a loaded machine

afterAll(() => synth?.cleanup());

/** Both stacks, for `it.each` (which runs before `beforeAll`: the template is looked up in the test). */
const BOTH = [
  ['SQS-managed', 'plain'],
  ['KMS', 'kms'],
] as const;
const templateOf = (environment: string): Template => synth.templates.get(environment) as Template;

type Resource = { Properties: Record<string, unknown> };
type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
};

/** Logical id of the queue with this name. */
function queueId(template: Template, name: string): string {
  const found = resourcesOf(template, 'AWS::SQS::Queue').find(([, queue]) => queue.Properties.QueueName === name);
  if (!found) throw new Error(`no queue ${name}`);
  return found[0];
}

function queueProps(template: Template, name: string): Record<string, unknown> {
  return (template.toJSON().Resources[queueId(template, name)] as Resource).Properties;
}

/** Queue name by logical id. */
function queueNamesById(template: Template): Map<string, string> {
  return new Map(
    resourcesOf(template, 'AWS::SQS::Queue').map(([id, queue]) => [id, String(queue.Properties.QueueName)]),
  );
}

const allQueueNames = definitions.queues.flatMap((queue) => [
  queue.name,
  ...(queue.deadLetter ? [queue.deadLetter.name] : []),
]);

describe('queues', () => {
  it.each(BOTH)(
    '%s: defines every queue and DLQ of infra/queues.json under its name, and no other',
    (_, environment) => {
      const template = templateOf(environment);
      expect(queuesMissingFrom(template, definitions)).toEqual([]);
      expect(queueNamesOf(template).sort()).toEqual([...new Set(allQueueNames)].sort());
    },
  );

  it('encrypts every queue: SSE-SQS by default', () => {
    for (const name of allQueueNames) {
      expect(queueProps(plain, name)).toMatchObject({ SqsManagedSseEnabled: true });
      expect(queueProps(plain, name)).not.toHaveProperty('KmsMasterKeyId');
    }
    expect(plain.findResources('AWS::KMS::Key')).toEqual({});
  });

  it('encrypts every queue with the one customer-managed key, rotated, when encryption is "kms"', () => {
    const keys = resourcesOf(kms, 'AWS::KMS::Key');
    expect(keys).toHaveLength(1);
    const [keyId, key] = keys[0] as [string, Resource];
    expect(key.Properties.EnableKeyRotation).toBe(true);
    for (const name of allQueueNames) {
      expect(queueProps(kms, name).KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    }
  });

  it.each(BOTH)(
    "%s: gives every source queue a redrive policy to its DLQ with the file's maxReceiveCount",
    (_, environment) => {
      const template = templateOf(environment);
      for (const queue of definitions.queues) {
        expect(queue.deadLetter).toBeDefined();
        if (!queue.deadLetter) continue;
        expect(queueProps(template, queue.name).RedrivePolicy).toEqual({
          deadLetterTargetArn: { 'Fn::GetAtt': [queueId(template, queue.deadLetter.name), 'Arn'] },
          maxReceiveCount: queue.deadLetter.maxReceiveCount,
        });
        expect(queueProps(template, queue.deadLetter.name)).not.toHaveProperty('RedrivePolicy');
      }
    },
  );

  it('takes visibility and retention from the file, keeps DLQ messages 14 days, and long-polls on every queue', () => {
    for (const queue of definitions.queues) {
      expect(queueProps(plain, queue.name)).toMatchObject({
        VisibilityTimeout: queue.visibilityTimeoutSeconds,
        MessageRetentionPeriod: queue.messageRetentionSeconds,
        ReceiveMessageWaitTimeSeconds: 20,
      });
      if (queue.deadLetter) {
        expect(queueProps(plain, queue.deadLetter.name)).toMatchObject({
          MessageRetentionPeriod: 14 * 24 * 3600,
          ReceiveMessageWaitTimeSeconds: 20,
        });
      }
    }
  });

  it('makes FIFO queues high-throughput, with content-based deduplication off (the envelope id deduplicates)', () => {
    for (const name of allQueueNames.filter((queue) => queue.endsWith('.fifo'))) {
      expect(queueProps(plain, name)).toMatchObject({
        FifoQueue: true,
        ContentBasedDeduplication: false,
        DeduplicationScope: 'messageGroup',
        FifoThroughputLimit: 'perMessageGroupId',
      });
    }
  });

  it.each(BOTH)('%s: puts a TLS-only deny on every queue, and no policy allows anyone anything', (_, environment) => {
    const template = templateOf(environment);
    const policies = resourcesOf(template, 'AWS::SQS::QueuePolicy');
    for (const name of allQueueNames) {
      const id = queueId(template, name);
      const statements = policies
        .filter(([, policy]) =>
          (policy.Properties.Queues as unknown[]).some(
            (queue) => JSON.stringify(queue) === JSON.stringify({ Ref: id }),
          ),
        )
        .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
      expect(statements).toContainEqual({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'sqs:*',
        Resource: { 'Fn::GetAtt': [id, 'Arn'] },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
      expect(statements.filter((statement) => statement.Effect !== 'Deny')).toEqual([]);
    }
  });
});

/** What each service's code does with each queue (issue 9; see src/queue-permissions.ts for where each call is). */
const CONSUME = [
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
  'sqs:ReceiveMessage',
];
const SEND = ['sqs:GetQueueUrl', 'sqs:SendMessage'];
const EXPECTED_ACCESS: Record<string, Record<string, string[]>> = {
  'order-service': {
    'shipment-events.fifo': CONSUME,
    'shipment-events-dlq.fifo': SEND,
    'order-events.fifo': SEND,
  },
  'shipping-service': {
    'order-events.fifo': CONSUME,
    'order-events-dlq.fifo': SEND,
    'shipping-labels.fifo': [...CONSUME, 'sqs:SendMessage'].sort(),
    'shipping-labels-dlq.fifo': SEND,
    'shipment-events.fifo': SEND,
  },
};

/** The container definition of a service, and its task definition's properties. */
function containerOf(
  template: Template,
  service: string,
): { taskId: string; task: Record<string, unknown>; container: Record<string, unknown> } {
  for (const [taskId, task] of resourcesOf(template, 'AWS::ECS::TaskDefinition')) {
    const container = (task.Properties.ContainerDefinitions as Array<Record<string, unknown>>).find(
      (candidate) => candidate.Name === service,
    );
    if (container) return { taskId, task: task.Properties, container };
  }
  throw new Error(`no container ${service}`);
}

/** Logical id of the ECS service that runs a service's container. */
function ecsServiceId(template: Template, service: string): string {
  const { taskId } = containerOf(template, service);
  const found = resourcesOf(template, 'AWS::ECS::Service').find(
    ([, candidate]) => JSON.stringify(candidate.Properties.TaskDefinition) === JSON.stringify({ Ref: taskId }),
  );
  if (!found) throw new Error(`no ECS service runs ${service}`);
  return found[0];
}

/** Every statement of the policies attached to the task role of a service. */
function taskRoleStatements(template: Template, service: string): Statement[] {
  const roleId = (containerOf(template, service).task.TaskRoleArn as { 'Fn::GetAtt': [string, string] })[
    'Fn::GetAtt'
  ][0];
  const role = template.toJSON().Resources[roleId] as Resource;
  expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  expect(role.Properties.Policies).toBeUndefined();
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, policy]) =>
      (policy.Properties.Roles as unknown[]).some((ref) => JSON.stringify(ref) === JSON.stringify({ Ref: roleId })),
    )
    .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

const list = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

describe('task roles', () => {
  it.each(
    BOTH.flatMap(([label, environment]) =>
      Object.keys(EXPECTED_ACCESS).map((service) => [label, service, environment] as const),
    ),
  )('%s: %s may do exactly what its code does, on exactly its own queues', (_, service, environment) => {
    const template = templateOf(environment);
    const names = queueNamesById(template);
    const access: Record<string, string[]> = {};
    for (const statement of taskRoleStatements(template, service).filter((s) =>
      list(s.Action).some((a) => a.startsWith('sqs:')),
    )) {
      expect(statement.Effect).toBe('Allow');
      const [id] = (statement.Resource as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
      const name = names.get(id) as string;
      access[name] = [...(access[name] ?? []), ...list(statement.Action)].sort();
    }
    expect(access).toEqual(EXPECTED_ACCESS[service]);
  });

  it.each(BOTH)('%s: has no wildcard in any action or resource of an SQS or KMS statement', (_, environment) => {
    const template = templateOf(environment);
    for (const service of Object.keys(EXPECTED_ACCESS)) {
      const statements = taskRoleStatements(template, service);
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements) {
        expect(list(statement.Action).every((action) => /^(sqs|kms):[A-Za-z]+$/.test(action))).toBe(true);
        expect(JSON.stringify(statement.Resource)).not.toContain('*');
        expect(statement).not.toHaveProperty('NotAction');
        expect(statement).not.toHaveProperty('NotResource');
      }
    }
  });

  it('adds kms:Decrypt and kms:GenerateDataKey on the one key only when a KMS key encrypts the queues', () => {
    const [keyId] = resourcesOf(kms, 'AWS::KMS::Key')[0] as [string, Resource];
    for (const service of Object.keys(EXPECTED_ACCESS)) {
      const kmsOnly = (template: Template) =>
        taskRoleStatements(template, service).filter((s) => list(s.Action).some((a) => a.startsWith('kms:')));
      expect(kmsOnly(plain)).toEqual([]);
      expect(kmsOnly(kms).map(({ Action, Resource }) => ({ Action, Resource }))).toEqual([
        { Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      ]);
    }
  });

  it('can be assumed only by ECS tasks of the same account', () => {
    for (const service of Object.keys(EXPECTED_ACCESS)) {
      const roleId = (containerOf(plain, service).task.TaskRoleArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
      const trust = (
        (plain.toJSON().Resources[roleId] as Resource).Properties.AssumeRolePolicyDocument as { Statement: Statement[] }
      ).Statement;
      expect(trust).toEqual([
        expect.objectContaining({
          Principal: { Service: 'ecs-tasks.amazonaws.com' },
          Condition: expect.objectContaining({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
        }),
      ]);
    }
  });
});

describe('services on ECS Fargate', () => {
  const shutdownDefault = serviceEnv({ port: 0 }).SHUTDOWN_TIMEOUT_MS.parse(undefined);

  it.each(BOTH)(
    "%s: stops each container later than its graceful shutdown timeout (and within Fargate's 120 s)",
    (_, environment) => {
      const template = templateOf(environment);
      for (const service of Object.keys(EXPECTED_ACCESS)) {
        const { container } = containerOf(template, service);
        const environment = container.Environment as Array<{ Name: string; Value: unknown }>;
        const shutdownMs = Number(environment.find((variable) => variable.Name === 'SHUTDOWN_TIMEOUT_MS')?.Value);
        expect(shutdownMs).toBe(shutdownDefault);
        expect(Number(container.StopTimeout) * 1000).toBeGreaterThan(shutdownMs);
        expect(Number(container.StopTimeout)).toBeLessThanOrEqual(120);
      }
    },
  );

  it.each(BOTH)(
    '%s: gives the containers no credentials and no emulator endpoint; the database password comes from Secrets Manager',
    (_, environment) => {
      const template = templateOf(environment);
      const secrets = resourcesOf(template, 'AWS::SecretsManager::SecretTargetAttachment').map(([id]) => id);
      for (const service of Object.keys(EXPECTED_ACCESS)) {
        const { container } = containerOf(template, service);
        const environment = container.Environment as Array<{ Name: string; Value: unknown }>;
        const names = environment.map((variable) => variable.Name);
        for (const forbidden of [
          'AWS_ACCESS_KEY_ID',
          'AWS_SECRET_ACCESS_KEY',
          'AWS_SESSION_TOKEN',
          'AWS_ENDPOINT_URL',
          'AWS_ENDPOINT_URL_SQS',
          'DATABASE_PASSWORD',
        ]) {
          expect(names).not.toContain(forbidden);
        }
        const url = JSON.stringify(environment.find((variable) => variable.Name === 'DATABASE_URL')?.Value);
        expect(url).toMatch(/postgres:\/\/[a-z_]+@/); // a user, no password
        expect(url).toContain('sslmode=require');
        const [secret] = container.Secrets as Array<{ Name: string; ValueFrom: unknown }>;
        expect(secret?.Name).toBe('DATABASE_PASSWORD');
        expect(secrets.some((id) => JSON.stringify(secret?.ValueFrom).includes(`"Ref":"${id}"`))).toBe(true);
      }
    },
  );

  it('runs the tasks in the private subnets without public IPs', () => {
    const privateSubnets = resourcesOf(plain, 'AWS::EC2::Subnet')
      .filter(([id]) => id.includes('services'))
      .map(([id]) => ({ Ref: id }));
    const services = resourcesOf(plain, 'AWS::ECS::Service');
    expect(services).toHaveLength(2);
    for (const [, service] of services) {
      const network = (service.Properties.NetworkConfiguration as { AwsvpcConfiguration: Record<string, unknown> })
        .AwsvpcConfiguration;
      expect(network.AssignPublicIp).toBe('DISABLED');
      expect(network.Subnets).toEqual(privateSubnets);
    }
  });

  it("builds each image from the service's Dockerfile with the repository root as context, whose COPY sources are all there", () => {
    const assets = JSON.parse(
      readFileSync(join(synth.outdir, `${synth.stacks.get('plain')?.artifactId}.assets.json`), 'utf8'),
    ) as {
      dockerImages: Record<string, { source: { directory: string; dockerFile: string } }>;
    };
    const images = Object.values(assets.dockerImages).map(({ source }) => source);
    expect(images.map((image) => image.dockerFile).sort()).toEqual([
      'apps/order-service/Dockerfile',
      'apps/shipping-service/Dockerfile',
    ]);
    for (const { directory, dockerFile } of images) {
      const context = join(synth.outdir, directory);
      const sources = readFileSync(join(context, dockerFile), 'utf8')
        .split('\n')
        .filter((line) => /^COPY (?!--from)/.test(line))
        .flatMap((line) => line.trim().split(/\s+/).slice(1, -1));
      expect(sources.length).toBeGreaterThan(5);
      for (const source of sources) expect([source, existsSync(join(context, source))]).toEqual([source, true]);
    }
  });

  it('uses a ready ECR image when the context names one, and sizes the tasks from the context', () => {
    const order = containerOf(kms, 'order-service').container;
    expect(JSON.stringify(order.Image)).toContain('sqsref/order-service:1.2.3');
    const shipping = containerOf(kms, 'shipping-service');
    expect(shipping.task).toMatchObject({ Cpu: '1024', Memory: '2048' });
    expect(JSON.stringify(shipping.container.Image)).toContain('cdk-hnb659fds-container-assets');
    expect(containerOf(plain, 'shipping-service').task).toMatchObject({ Cpu: '256', Memory: '512' });
  });
});

describe('scaling on the backlog per task', () => {
  it.each([
    ['plain', 'order-service', ['shipment-events.fifo'], 500, 1, 4],
    ['plain', 'shipping-service', ['order-events.fifo', 'shipping-labels.fifo'], 100, 1, 4],
    ['kms', 'shipping-service', ['order-events.fifo', 'shipping-labels.fifo'], 40, 2, 6],
  ] as const)(
    '%s: %s tracks visible messages of %j per running task at %d, %d to %d tasks',
    (env, service, queues, target, min, max) => {
      const template = templateOf(env);
      const names = queueNamesById(template);
      const serviceId = ecsServiceId(template, service);
      const policies = resourcesOf(template, 'AWS::ApplicationAutoScaling::ScalingPolicy').filter(([, policy]) =>
        JSON.stringify(policy).includes(`"${serviceId}","Name"`),
      );
      expect(policies).toHaveLength(1);
      const [, policy] = policies[0] as [string, Resource];
      const config = policy.Properties.TargetTrackingScalingPolicyConfiguration as {
        TargetValue: number;
        CustomizedMetricSpecification: {
          Metrics: Array<{
            Id: string;
            Expression?: string;
            ReturnData: boolean;
            MetricStat?: { Metric: { MetricName: string; Dimensions: Array<{ Value: unknown }> } };
          }>;
        };
      };
      expect(config.TargetValue).toBe(target);
      const metrics = config.CustomizedMetricSpecification.Metrics;
      const visible = metrics.filter(
        (metric) => metric.MetricStat?.Metric.MetricName === 'ApproximateNumberOfMessagesVisible',
      );
      expect(
        visible
          .map((metric) =>
            names.get((metric.MetricStat?.Metric.Dimensions[0]?.Value as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0]),
          )
          .sort(),
      ).toEqual([...queues].sort());
      expect(metrics.find((metric) => metric.Id === 'tasks')?.MetricStat?.Metric.MetricName).toBe('RunningTaskCount');
      expect(metrics.filter((metric) => metric.ReturnData)).toEqual([
        expect.objectContaining({ Expression: `(${visible.map((metric) => metric.Id).join(' + ')}) / tasks` }),
      ]);
      const target_ = (
        template.toJSON().Resources[(policy.Properties.ScalingTargetId as { Ref: string }).Ref] as Resource
      ).Properties;
      expect(target_).toMatchObject({
        MinCapacity: min,
        MaxCapacity: max,
        ScalableDimension: 'ecs:service:DesiredCount',
      });
    },
  );
});

describe('databases', () => {
  it.each(BOTH)(
    '%s: one private, encrypted PostgreSQL per service that forces TLS, its password generated into Secrets Manager',
    (_, environment) => {
      const template = templateOf(environment);
      const instances = resourcesOf(template, 'AWS::RDS::DBInstance');
      expect(instances.map(([, db]) => db.Properties.DBName).sort()).toEqual(['orders', 'shipping']);
      for (const [, db] of instances) {
        expect(db.Properties).toMatchObject({ Engine: 'postgres', PubliclyAccessible: false, StorageEncrypted: true });
        expect(JSON.stringify(db.Properties.MasterUserPassword)).toContain('{{resolve:secretsmanager:');
      }
      for (const [, group] of resourcesOf(template, 'AWS::RDS::DBParameterGroup')) {
        expect(group.Properties.Parameters).toEqual({ 'rds.force_ssl': '1' });
      }
      for (const [, subnets] of resourcesOf(template, 'AWS::RDS::DBSubnetGroup')) {
        expect(JSON.stringify(subnets.Properties.SubnetIds)).toMatch(/databases/);
        expect(JSON.stringify(subnets.Properties.SubnetIds)).not.toMatch(/public|services/);
      }
    },
  );

  it("lets each database be reached only from its own service's tasks", () => {
    const ingress = resourcesOf(plain, 'AWS::EC2::SecurityGroupIngress').filter(([id]) =>
      id.includes('DatabaseInstanceSecurityGroup'),
    );
    expect(ingress).toHaveLength(2);
    for (const [id, rule] of ingress) {
      const service = id.startsWith('order') ? 'orderservice' : 'shippingservice';
      expect(JSON.stringify(rule.Properties.SourceSecurityGroupId)).toContain(`${service}SecurityGroup`);
      expect(rule.Properties).not.toHaveProperty('CidrIp');
    }
  });
});

describe('network', () => {
  it('keeps queue traffic in the VPC: an SQS interface endpoint with private DNS that only the services reach', () => {
    const endpoints = resourcesOf(plain, 'AWS::EC2::VPCEndpoint').filter(
      ([, endpoint]) => endpoint.Properties.VpcEndpointType === 'Interface',
    );
    expect(endpoints).toHaveLength(1);
    const [, endpoint] = endpoints[0] as [string, Resource];
    expect(JSON.stringify(endpoint.Properties.ServiceName)).toContain('.sqs');
    expect(endpoint.Properties.PrivateDnsEnabled).toBe(true);
    const [groupId] = (
      (endpoint.Properties.SecurityGroupIds as Array<{ 'Fn::GetAtt': [string] }>)[0] as { 'Fn::GetAtt': [string] }
    )['Fn::GetAtt'];
    const group = (plain.toJSON().Resources[groupId] as Resource).Properties;
    expect(group.SecurityGroupIngress).toBeUndefined();
    const ingress = resourcesOf(plain, 'AWS::EC2::SecurityGroupIngress').filter(
      ([, rule]) => JSON.stringify(rule.Properties.GroupId) === JSON.stringify({ 'Fn::GetAtt': [groupId, 'GroupId'] }),
    );
    expect(
      ingress.map(([, rule]) => [
        rule.Properties.FromPort,
        JSON.stringify(rule.Properties.SourceSecurityGroupId).match(/(order|shipping)service/)?.[0],
      ]),
    ).toEqual([
      [443, 'orderservice'],
      [443, 'shippingservice'],
    ]);
  });
});

describe('alarms', () => {
  const alarmsOf = (template: Template, metric: string) =>
    resourcesOf(template, 'AWS::CloudWatch::Alarm').filter(([, alarm]) => alarm.Properties.MetricName === metric);
  const alarmedQueues = (template: Template, metric: string) => {
    const names = queueNamesById(template);
    return alarmsOf(template, metric)
      .map(([, alarm]) =>
        names.get(
          ((alarm.Properties.Dimensions as Array<{ Value: { 'Fn::GetAtt': [string] } }>)[0]?.Value['Fn::GetAtt'] ?? [
            '',
          ])[0],
        ),
      )
      .sort();
  };

  it.each(BOTH)('%s: one alarm per DLQ, on any visible message', (_, environment) => {
    const template = templateOf(environment);
    const deadLetters = definitions.queues.flatMap((queue) => (queue.deadLetter ? [queue.deadLetter.name] : []));
    expect(alarmedQueues(template, 'ApproximateNumberOfMessagesVisible')).toEqual([...new Set(deadLetters)].sort());
    for (const [, alarm] of alarmsOf(template, 'ApproximateNumberOfMessagesVisible')) {
      expect(alarm.Properties).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
      });
    }
  });

  it("one alarm per queue on the age of its oldest message: the context's threshold, half the retention on DLQs", () => {
    const thresholds = (template: Template, names = queueNamesById(template)) =>
      Object.fromEntries(
        alarmsOf(template, 'ApproximateAgeOfOldestMessage').map(([, alarm]) => [
          names.get(
            ((alarm.Properties.Dimensions as Array<{ Value: { 'Fn::GetAtt': [string] } }>)[0]?.Value['Fn::GetAtt'] ?? [
              '',
            ])[0],
          ),
          alarm.Properties.Threshold,
        ]),
      );
    const week = 7 * 24 * 3600;
    const expected = (sourceThreshold: number) =>
      Object.fromEntries(
        definitions.queues.flatMap((queue) => [
          [queue.name, sourceThreshold],
          ...(queue.deadLetter ? [[queue.deadLetter.name, week]] : []),
        ]),
      );
    expect(alarmedQueues(plain, 'ApproximateAgeOfOldestMessage')).toEqual([...new Set(allQueueNames)].sort());
    expect(thresholds(plain)).toEqual(expected(600));
    expect(thresholds(kms)).toEqual(expected(120));
  });

  it("one alarm per service on parked outbox rows, counted from the service's log group", () => {
    const alarms = alarmsOf(plain, 'OutboxRowsParked');
    expect(
      alarms.map(([, alarm]) => (alarm.Properties.Dimensions as Array<{ Value: string }>)[0]?.Value).sort(),
    ).toEqual(['order-service', 'shipping-service']);
    const filters = resourcesOf(plain, 'AWS::Logs::MetricFilter');
    expect(filters.map(([, filter]) => filter.Properties.FilterPattern)).toEqual([
      '{ ($.component = "outbox-relay") && ($.msg = "outbox row parked") }',
      '{ ($.component = "outbox-relay") && ($.msg = "outbox row parked") }',
    ]);
  });

  it.each(BOTH)('%s: every alarm notifies the alarm topic, on alarm and on recovery', (_, environment) => {
    const template = templateOf(environment);
    const [topicId] = resourcesOf(template, 'AWS::SNS::Topic')[0] as [string, Resource];
    for (const [, alarm] of resourcesOf(template, 'AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
    }
    expect(resourcesOf(kms, 'AWS::SNS::Subscription').map(([, subscription]) => subscription.Properties)).toEqual([
      expect.objectContaining({ Protocol: 'email', Endpoint: 'oncall@example.com' }),
    ]);
  });
});

describe('infra/queues.json is the one definition', () => {
  const withInvoices = {
    queues: [
      ...definitions.queues,
      {
        name: 'invoices.fifo',
        visibilityTimeoutSeconds: 60,
        messageRetentionSeconds: 86_400,
        deadLetter: { name: 'invoices-dlq.fifo', maxReceiveCount: 3 },
      },
    ],
  };

  it('the check above fails when the file gains a queue that the stack does not define', () => {
    expect(queuesMissingFrom(plain, withInvoices)).toEqual(['invoices.fifo', 'invoices-dlq.fifo']);
  });

  it('a queue added to the file is defined by the stack, with its DLQ, redrive policy and alarms', () => {
    const extra = synthesize(
      {
        extra: {
          images: {
            'order-service': { repository: 'sqsref/order', tag: '1' },
            'shipping-service': { repository: 'sqsref/shipping', tag: '1' },
          },
        },
      },
      withInvoices,
    );
    try {
      const template = extra.templates.get('extra') as Template;
      expect(queuesMissingFrom(template, withInvoices)).toEqual([]);
      expect(queueProps(template, 'invoices.fifo')).toMatchObject({
        VisibilityTimeout: 60,
        MessageRetentionPeriod: 86_400,
        RedrivePolicy: { maxReceiveCount: 3 },
      });
      const alarms = JSON.stringify(template.findResources('AWS::CloudWatch::Alarm'));
      expect(alarms).toContain(queueId(template, 'invoices-dlq.fifo'));
    } finally {
      extra.cleanup();
    }
  }, 120_000);
});

describe('environments', () => {
  it('builds one stack per environment of the context, named by it', () => {
    expect([...synth.stacks.values()].map((stack) => stack.stackName)).toEqual(['SqsRef-plain', 'SqsRef-KmsTest']);
  });

  it.each(BOTH)('%s: names no account id and no region (deployable to any account)', (_, environment) => {
    const template = templateOf(environment);
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toMatch(/\b\d{12}\b/);
    expect(text).not.toMatch(/\b(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d\b/);
  });
});
