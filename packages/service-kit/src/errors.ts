import { errorMessage } from '@sqsref/sqs-transport/common';

/**
 * Errors raised by the service kit. Each has a stable `code` that callers and tests match on; the message says
 * what to change.
 */
export type ServiceKitErrorCode = 'CONFIG_INVALID' | 'STARTUP_FAILED' | 'INVALID_CONTRACT_EVENT';

export abstract class ServiceKitError extends Error {
  abstract readonly code: ServiceKitErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One environment variable that failed validation. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/** The environment does not describe a valid configuration. The service prints it and exits with code 1. */
export class ConfigError extends ServiceKitError {
  readonly code = 'CONFIG_INVALID';

  constructor(
    readonly service: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `Invalid configuration of ${service} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((problem) => `  - ${problem.variable}: ${problem.message}`).join('\n') +
        '\nSet these environment variables (see the README of the service for every variable and its default).',
    );
  }
}

/** A service built an event its contract refuses: a bug in the service's code, never the caller's fault. */
export class InvalidContractEventError extends ServiceKitError {
  readonly code = 'INVALID_CONTRACT_EVENT';

  constructor(
    readonly eventType: string,
    readonly issues: readonly string[],
  ) {
    super(`The service built an invalid ${eventType} event (${issues.join('; ')}); fix the code that builds it.`);
  }
}

/** The service could not start (migrations, queues, port); `cause` holds the underlying error. */
export class StartupFailedError extends ServiceKitError {
  readonly code = 'STARTUP_FAILED';

  constructor(
    readonly step: string,
    options: { cause: unknown },
  ) {
    super(`Could not start: ${step} failed (${errorMessage(options.cause)}).`, options);
  }
}
