import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { QueueDefinitions } from '@sqsref/sqs-transport';
import type { Construct } from 'constructs';
import { BacklogScaling } from './backlog-scaling.js';
import { ServiceDatabase } from './database.js';
import type { EnvironmentConfig } from './environment-config.js';
import { FargateQueueService } from './fargate-service.js';
import { Network } from './network.js';
import { ORDER_API_PROXY_HOPS, OrderApi } from './order-api.js';
import { OutboxAlarms } from './outbox-alarms.js';
import { QueueAlarms } from './queue-alarms.js';
import { REPO_ROOT } from './paths.js';
import { Queues } from './queues.js';
import type { ServiceDefinition } from './services.js';
import { SERVICES } from './services.js';
import { TaskRole } from './task-role.js';

export interface SqsRefStackProps extends StackProps {
  environment: EnvironmentConfig;
  /** `infra/queues.json`, parsed. */
  definitions: QueueDefinitions;
}

/** Top-level folders of the repository that no Dockerfile copies (test/stack.spec.ts checks every COPY source). */
const NOT_IN_IMAGES = ['.ci', 'bench', 'docs', 'e2e', 'infra', 'scripts', 'tooling', '*.md'];

/** Each service's database: its name and the login the service uses. */
const DATABASES: Record<ServiceDefinition['name'], { databaseName: string; username: string }> = {
  'order-service': { databaseName: 'orders', username: 'order_service' },
  'shipping-service': { databaseName: 'shipping', username: 'shipping_service' },
};

/**
 * One environment of the system on AWS: the queues of `infra/queues.json` (encrypted, TLS only, with their DLQs and
 * alarms), a VPC with an SQS endpoint, and each service on ECS Fargate with its own task role, PostgreSQL and
 * backlog scaling; the order API behind a load balancer. Environment-agnostic: no account or region in it, and
 * nothing looked up at synth time, so `cdk synth` runs offline without credentials.
 */
export class SqsRefStack extends Stack {
  /** The environment it was built for. */
  readonly config: EnvironmentConfig;
  readonly queues: Queues;
  readonly services = new Map<ServiceDefinition['name'], FargateQueueService>();
  readonly taskRoles = new Map<ServiceDefinition['name'], TaskRole>();

  constructor(scope: Construct, id: string, props: SqsRefStackProps) {
    super(scope, id, {
      description: `sqs-reference (${props.environment.name}): queues, services, databases and alarms`,
      ...props,
    });
    const environment = props.environment;
    this.config = environment;
    const retain = environment.removalPolicy === 'retain';
    const dataRemoval = retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const encryptionKey =
      environment.encryption === 'kms'
        ? new kms.Key(this, 'QueueKey', {
            description: `Encrypts the SQS queues of ${this.stackName}`,
            enableKeyRotation: true,
            removalPolicy: dataRemoval,
          })
        : undefined;
    this.queues = new Queues(this, 'Queues', {
      definitions: props.definitions,
      removalPolicy: dataRemoval,
      ...(encryptionKey ? { encryptionKey } : {}),
    });

    const alarmTopic = new sns.Topic(this, 'AlarmTopic', { enforceSSL: true });
    if (environment.alarms.email)
      alarmTopic.addSubscription(new subscriptions.EmailSubscription(environment.alarms.email));
    new QueueAlarms(this, 'QueueAlarms', {
      queues: this.queues.deployed,
      topic: alarmTopic,
      oldestMessageAge: Duration.seconds(environment.alarms.oldestMessageAgeSeconds),
    });

    const network = new Network(this, 'Network', { maxAzs: environment.maxAzs, natGateways: environment.natGateways });
    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: network.vpc,
      // Container Insights publishes RunningTaskCount, the divisor of the backlog-per-task scaling.
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    for (const service of SERVICES) {
      const size = environment.services[service.name];
      const taskRole = new TaskRole(this, `${service.name}-Role`, {
        service,
        definitions: props.definitions,
        queues: this.queues,
        ...(encryptionKey ? { encryptionKey } : {}),
      });
      const database = new ServiceDatabase(this, `${service.name}-Database`, {
        vpc: network.vpc,
        ...DATABASES[service.name],
        settings: environment.database,
        removalPolicy: dataRemoval,
      });
      const isOrder = service.name === 'order-service';
      const fargate = new FargateQueueService(this, service.name, {
        cluster,
        service,
        size,
        image: this.imageOf(service, environment),
        taskRole: taskRole.role,
        database,
        logRetention: environment.logRetentionDays,
        ...(isOrder
          ? {
              environment: {
                ORDERS_RATE_LIMIT_PER_MINUTE: String(environment.orderApi.rateLimitPerMinute),
                TRUST_PROXY_HOPS: String(ORDER_API_PROXY_HOPS),
              },
              healthCheckGracePeriod: Duration.seconds(60),
            }
          : {}),
      });
      network.sqsEndpoint.connections.allowDefaultPortFrom(fargate.securityGroup, `${service.name} to SQS`);
      new BacklogScaling(this, `${service.name}-Scaling`, {
        cluster,
        service: fargate.service,
        queues: service.consumes.map((name) => this.queues.get(name)),
        minTasks: size.minTasks,
        maxTasks: size.maxTasks,
        backlogPerTaskTarget: size.backlogPerTaskTarget,
      });
      new OutboxAlarms(this, `${service.name}-OutboxAlarms`, {
        service: service.name,
        logGroup: fargate.logGroup,
        topic: alarmTopic,
        namespace: `SqsRef/${this.stackName}`,
      });
      if (isOrder) {
        const api = new OrderApi(this, 'OrderApi', {
          vpc: network.vpc,
          service: fargate.service,
          port: service.port,
          settings: environment.orderApi,
        });
        new CfnOutput(this, 'OrderApiUrl', { value: api.url, description: 'The order API (POST /orders)' });
      }
      this.services.set(service.name, fargate);
      this.taskRoles.set(service.name, taskRole);
    }
    new CfnOutput(this, 'AlarmTopicArn', { value: alarmTopic.topicArn, description: 'Subscribe to get the alarms' });
  }

  /** The service's image: a ready one from ECR when the context names it, else built from its Dockerfile on deploy. */
  private imageOf(service: ServiceDefinition, environment: EnvironmentConfig): ecs.ContainerImage {
    const ready = environment.images[service.name];
    if (ready) {
      const repository = ecr.Repository.fromRepositoryName(this, `${service.name}-Repository`, ready.repository);
      return ecs.ContainerImage.fromEcrRepository(repository, ready.tag);
    }
    // Staged and fingerprinted at synth (the repository root minus .dockerignore and the folders no Dockerfile
    // copies, so that a change there does not make a new image); built only by `cdk deploy`.
    return ecs.ContainerImage.fromAsset(REPO_ROOT, {
      file: service.dockerfile,
      platform: Platform.LINUX_AMD64,
      assetName: service.name,
      exclude: NOT_IN_IMAGES,
    });
  }
}
