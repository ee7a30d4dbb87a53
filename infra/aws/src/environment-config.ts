import type { ServiceName } from '@sqsref/contracts';
import { z } from 'zod';

/**
 * The environments of the app, from the CDK context key {@link ENVIRONMENTS_CONTEXT_KEY} (`cdk.json`, or
 * `-c sqsref:environments='{...}'`): one stack per entry, named and sized by it. Every field has a default except the
 * environment's name, so `{ "staging": {} }` is a complete definition. No account id appears here or in the code: a
 * stack deploys to the account of the credentials that run `cdk deploy`.
 */
export const ENVIRONMENTS_CONTEXT_KEY = 'sqsref:environments';

/** The `InvalidContextError` code. */
export type InfraErrorCode = 'INVALID_CONTEXT';

/** The CDK context does not describe valid environments; the message names every field and its allowed values. */
export class InvalidContextError extends Error {
  readonly code: InfraErrorCode = 'INVALID_CONTEXT';
  constructor(
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(
      `Invalid CDK context "${ENVIRONMENTS_CONTEXT_KEY}" (cdk.json or -c):\n${problems.map((problem) => `  ${problem}`).join('\n')}`,
      options,
    );
    this.name = 'InvalidContextError';
  }
}

/** Fargate's valid memory sizes (MiB) per CPU size (CPU units: 1024 = 1 vCPU). */
const FARGATE_MEMORY: Record<number, { min: number; max: number; step: number }> = {
  256: { min: 512, max: 2_048, step: 512 },
  512: { min: 1_024, max: 4_096, step: 1_024 },
  1024: { min: 2_048, max: 8_192, step: 1_024 },
  2048: { min: 4_096, max: 16_384, step: 1_024 },
  4096: { min: 8_192, max: 30_720, step: 1_024 },
};

/** CloudWatch Logs' allowed retention periods, in days. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const int = (min: number, max: number) => z.number().int().min(min).max(max);

const ecrImage = z.strictObject({
  /** The repository's name, e.g. `sqsref/order-service`. */
  repository: z.string().regex(/^[a-z0-9][a-z0-9._/-]{1,255}$/, 'must be an ECR repository name'),
  /** The image tag. */
  tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'must be an image tag'),
});

const serviceSize = (defaults: { backlogPerTaskTarget: number }) =>
  z
    .strictObject({
      /** CPU units of one task (1024 = 1 vCPU): 256, 512, 1024, 2048 or 4096. Default 256. */
      cpu: z.union([z.literal(256), z.literal(512), z.literal(1024), z.literal(2048), z.literal(4096)]).default(256),
      /** Memory of one task in MiB; Fargate allows per CPU size: 256: 512-2048, 512: 1024-4096, ... Default 512. */
      memoryMiB: int(512, 30_720).default(512),
      /** Fewest running tasks (at least 1: the services serve HTTP and poll). Default 1. */
      minTasks: int(1, 100).default(1),
      /** Most running tasks. Default 4. */
      maxTasks: int(1, 100).default(4),
      /**
       * Target of the backlog-per-task scaling: visible messages on the queues the service consumes ÷ running
       * tasks. docs/deploy-aws.md explains the defaults (order 500, shipping 100).
       */
      backlogPerTaskTarget: int(1, 1_000_000).default(defaults.backlogPerTaskTarget),
    })
    .superRefine((size, ctx) => {
      const allowed = FARGATE_MEMORY[size.cpu];
      if (
        allowed &&
        (size.memoryMiB < allowed.min || size.memoryMiB > allowed.max || size.memoryMiB % allowed.step !== 0)
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['memoryMiB'],
          message: `with cpu ${size.cpu}, Fargate allows ${allowed.min} to ${allowed.max} in steps of ${allowed.step}`,
        });
      }
      if (size.maxTasks < size.minTasks) {
        ctx.addIssue({ code: 'custom', path: ['maxTasks'], message: `must be at least minTasks (${size.minTasks})` });
      }
    });

const environmentSchema = z
  .strictObject({
    /** The CloudFormation stack's name. Default `SqsRef-<environment>`. */
    stackName: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'must start with a letter; letters, digits and hyphens, 128 at most')
      .optional(),
    /** Server-side encryption of every queue: SQS-managed keys, or one customer-managed KMS key (rotated). */
    encryption: z.enum(['sqs-managed', 'kms']).default('sqs-managed'),
    /** Availability zones of the VPC (and of the tasks). Default 2. */
    maxAzs: int(2, 6).default(2),
    /** NAT gateways for the tasks' other egress (image pulls, logs, Secrets Manager). Default 1. */
    natGateways: int(1, 6).default(1),
    /** The PostgreSQL instance of each service. */
    database: z
      .strictObject({
        /** RDS instance class without the `db.` prefix. Default `t4g.micro`. */
        instanceClass: z
          .string()
          .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'must look like t4g.micro')
          .default('t4g.micro'),
        /** Storage in GiB (gp3). Default 20. */
        allocatedStorageGiB: int(20, 65_536).default(20),
        /** A standby in a second zone. Default false. */
        multiAz: z.boolean().default(false),
        /** Days of automated backups. Default 7. */
        backupRetentionDays: int(1, 35).default(7),
      })
      .prefault({}),
    /** Sizes and scaling of each service. */
    services: z
      .strictObject({
        'order-service': serviceSize({ backlogPerTaskTarget: 500 }).prefault({}),
        'shipping-service': serviceSize({ backlogPerTaskTarget: 100 }).prefault({}),
      })
      .prefault({}),
    /** The order service's HTTP API behind an Application Load Balancer. */
    orderApi: z
      .strictObject({
        /** Reachable from the internet (needs `certificateArn`: HTTPS only). Default false: inside the VPC only. */
        internetFacing: z.boolean().default(false),
        /** ACM certificate for an HTTPS listener. Without it the listener is HTTP, inside the VPC. */
        certificateArn: z
          .string()
          .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/, 'must be an ACM certificate ARN')
          .optional(),
        /** `POST /orders` per client per minute, per task (ORDERS_RATE_LIMIT_PER_MINUTE); 0 turns it off. */
        rateLimitPerMinute: int(0, 1_000_000).default(600),
      })
      .prefault({})
      .refine((api) => !api.internetFacing || api.certificateArn !== undefined, {
        path: ['certificateArn'],
        message: 'is required when internetFacing is true (the API is served over HTTPS only)',
      }),
    /** CloudWatch alarms. */
    alarms: z
      .strictObject({
        /** Alarm when a source queue's oldest message is older than this. Default 600 (10 minutes). */
        oldestMessageAgeSeconds: int(60, 1_209_600).default(600),
        /** An address subscribed to the alarm topic (it must confirm). Default none. */
        email: z.email().optional(),
      })
      .prefault({}),
    /** Days the services' logs are kept. Default 30. */
    logRetentionDays: z
      .number()
      .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
        message: `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .default(30),
    /**
     * What `cdk destroy` does with queues and databases: `retain` keeps the queues and snapshots the databases
     * (and turns on deletion protection); `destroy` deletes them. Default `retain`.
     */
    removalPolicy: z.enum(['retain', 'destroy']).default('retain'),
    /**
     * A ready image per service in an ECR repository of the stack's account (`{ "repository": "sqsref/order",
     * "tag": "1.4.0" }`); a service without one is built from its Dockerfile by `cdk deploy` (Docker required then;
     * `cdk synth` never builds).
     */
    images: z
      .strictObject({
        'order-service': ecrImage.optional(),
        'shipping-service': ecrImage.optional(),
      })
      .prefault({}),
  })
  .prefault({});

export type EnvironmentSettings = z.output<typeof environmentSchema>;
export type ServiceSize = EnvironmentSettings['services'][ServiceName];

/** One environment: its name and every setting, defaults applied. */
export interface EnvironmentConfig extends EnvironmentSettings {
  name: string;
  stackName: string;
}

const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,30}$/;

/**
 * Validates the context value of {@link ENVIRONMENTS_CONTEXT_KEY}: an object of environments by name (lower case,
 * digits, hyphens). Throws {@link InvalidContextError} listing every problem with its path.
 */
export function parseEnvironments(value: unknown): EnvironmentConfig[] {
  const parsed = typeof value === 'string' ? parseJson(value) : value;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.keys(parsed).length === 0) {
    throw new InvalidContextError([
      'must be an object of environments by name, e.g. { "staging": {}, "production": { "removalPolicy": "retain" } }',
    ]);
  }
  const problems: string[] = [];
  const environments: EnvironmentConfig[] = [];
  for (const [name, settings] of Object.entries(parsed)) {
    if (!ENVIRONMENT_NAME.test(name)) {
      problems.push(`${name}: an environment's name must be lower case letters, digits and hyphens (31 at most)`);
      continue;
    }
    const result = environmentSchema.safeParse(settings ?? {});
    if (!result.success) {
      problems.push(...result.error.issues.map((issue) => `${[name, ...issue.path].join('.')}: ${issue.message}`));
      continue;
    }
    environments.push({ ...result.data, name, stackName: result.data.stackName ?? `SqsRef-${name}` });
  }
  const stackNames = environments.map((environment) => environment.stackName);
  for (const duplicate of new Set(stackNames.filter((stackName, index) => stackNames.indexOf(stackName) !== index))) {
    problems.push(`stackName: "${duplicate}" is used by more than one environment`);
  }
  if (problems.length > 0) throw new InvalidContextError(problems);
  return environments;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidContextError([`is not valid JSON (${(error as Error).message})`], { cause: error });
  }
}
