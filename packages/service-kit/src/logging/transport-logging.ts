import type { MessageEventBase, OutboxRelay, SqsServer } from '@sqsref/sqs-transport';
import { errorCode } from '@sqsref/sqs-transport';
import { queueNameOf } from '@sqsref/sqs-transport/common';
import type { Logger as PinoLogger } from 'pino';

/**
 * What became of one message: `processed`, `duplicate` (the inbox had it), `retry` (back to the queue after a
 * backoff), `held` (a dependency is away: retried in process) or `dead_letter` (non-retryable: to the DLQ).
 */
export type MessageOutcome = 'processed' | 'duplicate' | 'retry' | 'held' | 'dead_letter';

/**
 * The one structured line per message outcome: event id, type, group, receive count, duration, outcome, trace id
 * (the producer's, shared by the consumer's `process` span), and the correlation id under the name the handlers'
 * lines use.
 */
export function outcomeLine(
  event: MessageEventBase & { durationMs: number },
  outcome: MessageOutcome,
): Record<string, unknown> {
  return {
    outcome,
    eventId: event.eventId,
    eventType: event.eventType,
    groupId: event.groupId,
    receiveCount: event.receiveCount,
    durationMs: event.durationMs,
    traceId: event.traceId,
    correlationId: event.correlationId,
    queue: queueNameOf(event.queueUrl),
    messageId: event.messageId,
  };
}

/**
 * Logs what the consumer does outside the handlers (nestjs-pino logs the handlers themselves, with the correlation
 * id): receipts at debug, one {@link outcomeLine} per handled message (info when it succeeded, warn when it failed),
 * retries at info, DLQ moves at error with the reason, transport call
 * failures and dependency outages (messages held, polling paused and resumed) at warn.
 */
export function logConsumerEvents(server: SqsServer, root: PinoLogger): void {
  const log = root.child({ component: 'sqs-consumer' });
  server
    .onEvent('received', (event) => log.debug({ ...event }, 'message received'))
    .onEvent('processed', (event) =>
      event.duplicate
        ? log.info(outcomeLine(event, 'duplicate'), 'duplicate message acknowledged')
        : log.info(outcomeLine(event, 'processed'), 'message processed'),
    )
    .onEvent('failed', (event) =>
      log.warn(
        {
          ...outcomeLine(event, event.outage ? 'held' : event.retryable ? 'retry' : 'dead_letter'),
          errorCode: errorCode(event.error),
          error: event.error.message,
        },
        'message failed',
      ),
    )
    .onEvent('retried', (event) => log.info({ ...event }, 'message returned to the queue for a retry'))
    .onEvent('held', ({ error, ...event }) =>
      log.warn(
        { ...event, errorCode: errorCode(error), error: error.message },
        'dependency unavailable: message kept, retrying in process',
      ),
    )
    .onEvent('polling-paused', ({ error }) =>
      log.warn({ errorCode: errorCode(error), error: error.message }, 'dependency unavailable: polling paused'),
    )
    .onEvent('polling-resumed', (event) => log.warn({ ...event }, 'dependency back: polling resumed'))
    .onEvent('dead-lettered', (event) => log.error({ ...event }, 'message moved to the dead-letter queue'))
    .onEvent('error', ({ error, ...event }) =>
      log.warn({ ...event, errorCode: errorCode(error), error: error.message }, 'SQS call failed; retrying'),
    );
}

/** Logs the outbox relay: sends at debug, failed sends at warn, parked rows at error. */
export function logRelayEvents(relay: OutboxRelay, root: PinoLogger): void {
  const log = root.child({ component: 'outbox-relay' });
  relay.events
    .on('sent', (event) => log.debug({ ...event }, 'outbox events sent'))
    .on('failed', ({ error, ...event }) =>
      log.warn({ ...event, errorCode: errorCode(error), error: error.message }, 'outbox send failed; will retry'),
    )
    .on('parked', ({ error, ...event }) =>
      log.error({ ...event, errorCode: errorCode(error), error: error.message }, 'outbox row parked'),
    )
    .on('error', ({ error, ...event }) =>
      log.warn({ ...event, errorCode: errorCode(error), error: error.message }, 'outbox relay pass failed'),
    );
}
