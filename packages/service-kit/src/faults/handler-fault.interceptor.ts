import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { SqsContext } from '@sqsref/sqs-transport';
import type { RandomSource } from '@sqsref/sqs-transport';
import type { Observable } from 'rxjs';
import { defaultIfEmpty, mergeMap, throwError } from 'rxjs';

/** A failure injected on purpose by `FAULT_HANDLER_FAILURE_RATE` (the chaos suite); retried like any transient one. */
export class InjectedFaultError extends Error {
  readonly code = 'FAULT_INJECTED';

  constructor(message: string) {
    super(message);
    this.name = 'InjectedFaultError';
  }
}

/** The `FAULT_HANDLER_FAILURE_*` switches. */
export interface HandlerFaultOptions {
  /** Share of SQS handler runs that fail after their work, 0 (off) to 1. */
  failureRate: number;
  /** Only deliveries up to this receive count are failed, so that injected failures alone never reach a DLQ. */
  maxReceiveCount: number;
  /** Called for each failure injected (the service logs it, so a chaos run can count them). */
  onInject?: (fault: { type: string; eventId: string; receiveCount: number }) => void;
}

/**
 * Fault injection for the chaos suite, off unless `FAULT_HANDLER_FAILURE_RATE` > 0: an SQS handler run fails with
 * {@link InjectedFaultError} at random, AFTER the handler did its work. Its writes must then roll back with the inbox
 * transaction (transaction mode), or be found done by the next delivery (lease mode), and the message is retried
 * with backoff. The failure a crash or a flaky dependency causes in production, on demand. HTTP requests are left
 * alone.
 */
export class HandlerFaultInterceptor implements NestInterceptor {
  constructor(
    private readonly options: HandlerFaultOptions,
    private readonly random: RandomSource = Math.random,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const sqs = context.switchToRpc().getContext<unknown>();
    if (!(sqs instanceof SqsContext) || sqs.getReceiveCount() > this.options.maxReceiveCount) return next.handle();
    if (this.random() >= this.options.failureRate) return next.handle();
    const { id, type } = sqs.getEnvelope();
    return next.handle().pipe(
      defaultIfEmpty(undefined),
      mergeMap(() => {
        this.options.onInject?.({ type, eventId: id, receiveCount: sqs.getReceiveCount() });
        return throwError(
          () =>
            new InjectedFaultError(
              `fault injected after handling ${type} ${id} (FAULT_HANDLER_FAILURE_RATE=${this.options.failureRate}); set it to 0 to turn fault injection off`,
            ),
        );
      }),
    );
  }
}
