import type { OutboxRelay, SqsServer } from '@sqsref/sqs-transport';
import { errorCode } from '@sqsref/sqs-transport';
import type { Logger as PinoLogger } from 'pino';

/**
 * Logs what the consumer does outside the handlers (nestjs-pino logs the handlers themselves, with the correlation
 * id): receipts and duplicates at debug, retries at info, DLQ moves at error with the reason, transport call
 * failures and dependency outages (messages held, polling paused and resumed) at warn.
 */
export function logConsumerEvents(server: SqsServer, root: PinoLogger): void {
  const log = root.child({ component: 'sqs-consumer' });
  server
    .onEvent('received', (event) => log.debug({ ...event }, 'message received'))
    .onEvent('processed', (event) =>
      log.debug({ ...event }, event.duplicate ? 'duplicate message acknowledged' : 'message processed'),
    )
    .onEvent('failed', ({ error, ...event }) =>
      log.debug({ ...event, errorCode: errorCode(error), error: error.message }, 'message failed'),
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
