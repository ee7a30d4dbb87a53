// The SQS_* consumer variables, SHUTDOWN_TIMEOUT_MS and the OUTBOX_* relay variables take their defaults and ranges
// from the transport's one definition of its options (CONSUMER_OPTION_RANGES, RELAY_OPTION_RANGES), so they cannot
// drift apart.
import {
  CONSUMER_OPTION_RANGES,
  RELAY_OPTION_RANGES,
  SQS_MAX_VISIBILITY_TIMEOUT_MS,
} from '@sqsref/sqs-transport/common';
import type { EnvConfig } from './env.js';
import { env, LOG_LEVELS } from './env.js';

/**
 * The variables every service reads, with their defaults. A service spreads this into its own schema:
 * `{ ...serviceEnv({ port: 3000 }), LABEL_JOB_MS: env.integer(...) }`. Each service's README documents
 * them (a test there checks that every variable is listed).
 */
export function serviceEnv(defaults: { port: number }) {
  return {
    /** HTTP port; 0 picks a free one. */
    PORT: env.integer({ default: defaults.port, min: 0, max: 65_535 }),
    /** Interface to listen on. */
    HOST: env.string({ default: '0.0.0.0', maxLength: 255 }),
    /**
     * Proxies in front of the service (load balancers) whose `X-Forwarded-For` is trusted to name the client: the
     * client is the address that many hops before the connection's. 0: the connection's own address.
     */
    TRUST_PROXY_HOPS: env.integer({ default: 0, min: 0, max: 10 }),
    /** The service's own PostgreSQL database. */
    DATABASE_URL: env.postgresUrl(),
    /**
     * The password of `DATABASE_URL`'s user; set, it replaces the URL's own (see {@link databaseUrlOf}). On AWS it
     * comes from Secrets Manager through the task's `secrets`, so it is in no environment file, image or template.
     */
    DATABASE_PASSWORD: env.optionalSecret({ maxLength: 1_024 }),
    /** Connections in the Prisma pool. */
    DATABASE_POOL_SIZE: env.integer({ default: 10, min: 1, max: 1_000 }),
    /**
     * How long an HTTP request may take when a dependency hangs: past it the request answers 503
     * (`DEPENDENCY_TIMEOUT`). Every database wait is derived from it (connection, statement, query, transaction), so a
     * stalled database answers 503 `DATABASE_UNAVAILABLE` well within it.
     */
    DEPENDENCY_TIMEOUT_MS: env.integer({ default: 5_000, min: 100, max: 600_000 }),
    /** Apply pending migrations before listening. */
    MIGRATE_ON_START: env.boolean(true),
    /** SQS endpoint (an emulator or LocalStack); unset means AWS's regional endpoint. */
    AWS_ENDPOINT_URL_SQS: env.optionalHttpUrl(),
    AWS_REGION: env.string({ default: 'us-east-1', maxLength: 64 }),
    LOG_LEVEL: env.oneOf(LOG_LEVELS, 'info'),
    /** Handlers running at once, all queues together. */
    SQS_CONCURRENCY: env.integer(CONSUMER_OPTION_RANGES.concurrency),
    /** Long-poll wait of each receive. */
    SQS_WAIT_TIME_SECONDS: env.integer(CONSUMER_OPTION_RANGES.waitTimeSeconds),
    /** Visibility timeout requested on receive and kept up by the heartbeat; unset: the queue's own. */
    SQS_VISIBILITY_TIMEOUT_SECONDS: env.optionalInteger(CONSUMER_OPTION_RANGES.visibilityTimeoutSeconds),
    /** Heartbeat interval; unset: a third of the visibility timeout. */
    SQS_HEARTBEAT_INTERVAL_MS: env.optionalInteger(CONSUMER_OPTION_RANGES.heartbeatIntervalMs),
    /** Renamed to `SQS_HEARTBEAT_INTERVAL_MS` (every timer is in ms); set, the service refuses to start. */
    SQS_HEARTBEAT_INTERVAL_SECONDS: env.renamed('SQS_HEARTBEAT_INTERVAL_MS (milliseconds: multiply by 1000)'),
    /** First retry delay of a failed message (doubles per receive, with jitter). */
    SQS_RETRY_BASE_DELAY_SECONDS: env.number(CONSUMER_OPTION_RANGES.retryBaseDelaySeconds),
    /** Longest retry delay. */
    SQS_RETRY_MAX_DELAY_SECONDS: env.number(CONSUMER_OPTION_RANGES.retryMaxDelaySeconds),
    /** How long shutdown waits for running handlers. */
    SHUTDOWN_TIMEOUT_MS: env.integer(CONSUMER_OPTION_RANGES.shutdownTimeoutMs),
    /** How long one inbox transaction (handler included) may run. */
    INBOX_TRANSACTION_TIMEOUT_MS: env.integer({ default: 60_000, min: 1_000, max: SQS_MAX_VISIBILITY_TIMEOUT_MS }),
    /** Longest pause of the outbox relay when idle (a NOTIFY wakes it at once). */
    OUTBOX_IDLE_WAIT_MS: env.integer(RELAY_OPTION_RANGES.idleWaitMs),
    /** How long the relay's claim on rows holds; a crashed relay's rows are resent after it. */
    OUTBOX_LEASE_MS: env.integer(RELAY_OPTION_RANGES.leaseMs),
    /** First retry delay of a row whose send failed. */
    OUTBOX_RETRY_BASE_DELAY_MS: env.integer(RELAY_OPTION_RANGES.retryBaseDelayMs),
    /**
     * Fault injection, for the chaos suite only (never in production): the share of SQS handler runs that fail on
     * purpose after their work (`FAULT_INJECTED`, retried). 0, the default, turns it off.
     */
    FAULT_HANDLER_FAILURE_RATE: env.number({ default: 0, min: 0, max: 1 }),
    /**
     * Injected failures hit only deliveries up to this receive count, so that they alone never exhaust a queue's
     * `maxReceiveCount` (5 in infra/queues.json) and send a message to its DLQ.
     */
    FAULT_HANDLER_FAILURE_MAX_RECEIVE_COUNT: env.integer({ default: 3, min: 1, max: 1_000 }),
  };
}

/** The parsed common variables; a service's config type extends it. */
export type ServiceConfig = EnvConfig<ReturnType<typeof serviceEnv>>;

/**
 * The URL the service connects with: `DATABASE_URL`, with `DATABASE_PASSWORD` (URL-encoded) as its password when set.
 */
export function databaseUrlOf(config: Pick<ServiceConfig, 'DATABASE_URL' | 'DATABASE_PASSWORD'>): string {
  if (config.DATABASE_PASSWORD === undefined) return config.DATABASE_URL;
  const url = new URL(config.DATABASE_URL);
  url.password = encodeURIComponent(config.DATABASE_PASSWORD);
  return url.toString();
}
