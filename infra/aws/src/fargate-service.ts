import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ServiceDatabase } from './database.js';
import type { ServiceSize } from './environment-config.js';
import type { ServiceDefinition } from './services.js';
import { FARGATE_MAX_STOP_TIMEOUT_SECONDS, SHUTDOWN_TIMEOUT_MS, STOP_TIMEOUT_MARGIN_SECONDS } from './services.js';

export interface FargateQueueServiceProps {
  cluster: ecs.ICluster;
  service: ServiceDefinition;
  size: ServiceSize;
  image: ecs.ContainerImage;
  taskRole: iam.IRole;
  database: ServiceDatabase;
  logRetention: logs.RetentionDays;
  /** Variables beyond the common ones (PORT, AWS_REGION, DATABASE_URL, SHUTDOWN_TIMEOUT_MS, LOG_LEVEL). */
  environment?: Record<string, string>;
  /** Time a new task gets before its load balancer's health checks count (load-balanced services only). */
  healthCheckGracePeriod?: Duration;
  /** How long the service's graceful shutdown may take. Default: service-kit's `SHUTDOWN_TIMEOUT_MS` default. */
  shutdownTimeoutMs?: number;
}

/** Thrown when the services' shutdown would not fit in Fargate's longest stop timeout. */
export class StopTimeoutError extends Error {
  readonly code = 'STOP_TIMEOUT_TOO_LONG';
  constructor(shutdownTimeoutMs: number) {
    super(
      `SHUTDOWN_TIMEOUT_MS of ${shutdownTimeoutMs} ms plus ${STOP_TIMEOUT_MARGIN_SECONDS} s does not fit in Fargate's longest stop timeout (${FARGATE_MAX_STOP_TIMEOUT_SECONDS} s): lower it to ${(FARGATE_MAX_STOP_TIMEOUT_SECONDS - STOP_TIMEOUT_MARGIN_SECONDS) * 1000} ms or less.`,
    );
    this.name = 'StopTimeoutError';
  }
}

/**
 * One service on ECS Fargate, in the private subnets with no public IP: its task role (the SDK's credentials on
 * AWS; no keys anywhere), its database password from Secrets Manager, its logs in its own log group, and a stop
 * timeout above its graceful shutdown, so ECS's SIGKILL never cuts a handler that is still within
 * `SHUTDOWN_TIMEOUT_MS`. A deployment that does not become healthy rolls back.
 */
export class FargateQueueService extends Construct {
  readonly service: ecs.FargateService;
  readonly container: ecs.ContainerDefinition;
  readonly logGroup: logs.LogGroup;
  readonly securityGroup: ec2.SecurityGroup;
  readonly stopTimeout: Duration;

  constructor(scope: Construct, id: string, props: FargateQueueServiceProps) {
    super(scope, id);
    const shutdownTimeoutMs = props.shutdownTimeoutMs ?? SHUTDOWN_TIMEOUT_MS;
    const stopSeconds = Math.ceil(shutdownTimeoutMs / 1000) + STOP_TIMEOUT_MARGIN_SECONDS;
    if (stopSeconds > FARGATE_MAX_STOP_TIMEOUT_SECONDS) throw new StopTimeoutError(shutdownTimeoutMs);
    this.stopTimeout = Duration.seconds(stopSeconds);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: props.size.cpu,
      memoryLimitMiB: props.size.memoryMiB,
      taskRole: props.taskRole,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    this.container = taskDefinition.addContainer('app', {
      containerName: props.service.name,
      image: props.image,
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: props.service.name }),
      portMappings: [{ containerPort: props.service.port }],
      stopTimeout: this.stopTimeout,
      environment: {
        PORT: String(props.service.port),
        AWS_REGION: Stack.of(this).region,
        DATABASE_URL: props.database.url(),
        SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
        LOG_LEVEL: 'info',
        ...props.environment,
      },
      secrets: { DATABASE_PASSWORD: ecs.Secret.fromSecretsManager(props.database.secret, 'password') },
    });
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.cluster.vpc,
      description: `${props.service.name} tasks`,
      allowAllOutbound: true,
    });
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: props.cluster,
      taskDefinition,
      desiredCount: props.size.minTasks,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { rollback: true },
      assignPublicIp: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.securityGroup],
      ...(props.healthCheckGracePeriod ? { healthCheckGracePeriod: props.healthCheckGracePeriod } : {}),
    });
    props.database.allowFrom(this.securityGroup);
  }
}
