/**
 * `@sqsref/sqs-transport`: the public API, listed by name. Anything not listed here (option resolvers, the send
 * batcher, the idempotency runner, the pollers, the event bus base class, the option validators) is internal and may
 * change without notice. `index.spec.ts` pins the runtime names, so a change to this list is a visible diff.
 */

// Errors: one class per failure kind, each with a stable `code`, and the helpers that classify an unknown error.
export {
  DeleteFailedError,
  DependencyUnavailableError,
  HandlerFailedError,
  InvalidEnvelopeError,
  InvalidJsonError,
  InvalidOptionError,
  LeaseLostError,
  MaxProcessingTimeExceededError,
  MessageTooLargeError,
  MissingGroupIdError,
  NoRouteError,
  NonRetryableError,
  PayloadValidationError,
  SendFailedError,
  ShutdownDeadlineExceededError,
  SqsTransportError,
  TransportClosedError,
  UnknownEventTypeError,
  errorCode,
  errorMessage,
  isRetryable,
} from './errors.js';
export type { SqsTransportErrorCode } from './errors.js';
export { LeaseBusyError } from './consumer/idempotency.js';

// SQS's own limits, named.
export {
  DEFAULT_MAX_MESSAGE_BYTES,
  MAX_VISIBILITY_TIMEOUT_SECONDS,
  SQS_MAX_BATCH_ENTRIES,
  SQS_MAX_ID_LENGTH,
  SQS_MAX_MESSAGE_ATTRIBUTES,
  SQS_MAX_MESSAGE_BYTES,
  SQS_MAX_RECEIVE_COUNT,
  SQS_MAX_RECEIVE_MESSAGES,
  SQS_MAX_RETENTION_SECONDS,
  SQS_MAX_VISIBILITY_TIMEOUT_MS,
  SQS_MAX_VISIBILITY_TIMEOUT_SECONDS,
  SQS_MAX_WAIT_TIME_SECONDS,
  SQS_MIN_MESSAGE_SIZE_LIMIT_BYTES,
  SQS_MIN_RETENTION_SECONDS,
} from './sqs-limits.js';

// Connecting to SQS and declaring queues.
export { createSqsClient } from './sqs-client.js';
export type { SqsConnectionOptions } from './sqs-client.js';
export { lookUpQueueUrl } from './queue-urls.js';
export { createQueues, parseQueueDefinitions } from './queue-definitions.js';
export type { CreatedQueue, QueueDefinition, QueueDefinitions } from './queue-definitions.js';
export type { Clock, RandomSource } from './clock.js';

// The consumer, without Nest.
export { SqsConsumer } from './consumer/consumer.js';
export type { HandlerOutcome, MessageHandler } from './consumer/consumer.js';
export type { SqsConsumerOptions, SqsQueueOptions } from './consumer/consumer-options.js';
export type { RetryPolicyOptions } from './consumer/retry-policy.js';
export type { HeldMessage } from './consumer/held-message.js';
export type { Lease } from './consumer/lease.js';
export type { QueueRuntime } from './consumer/queue-resolver.js';
export type { InboxMode } from './consumer/idempotency.js';
export { createPipeline } from './consumer/pipeline.js';
export type { Delivery, PayloadValidation, PipelineOptions, PipelineRoute, RouteLookup } from './consumer/pipeline.js';
export type { ShutdownResult } from './consumer/shutdown.js';
export { DEAD_LETTER_ATTRIBUTES } from './consumer/dead-letter.js';
export type {
  ConsumerEventBus,
  ConsumerEventListener,
  ConsumerEventName,
  ConsumerEvents,
  MessageEventBase,
} from './events.js';

// Envelopes and the producer.
export { createEnvelope } from './producer/envelope.js';
export { parseEnvelope } from './consumer/parse-envelope.js';
export type { Envelope, EnvelopeInput } from './producer/envelope.js';
export { EventSender } from './producer/event-sender.js';
export type { EventSenderOptions, SendMeta } from './producer/event-sender.js';
export type { SendResult } from './producer/batcher.js';

// Inbox and outbox: the store interfaces a persistence package implements, and the relay.
export type { CommitGuard, InboxKey, InboxStore, InboxTransactionResult, LeaseClaim } from './inbox.js';
export type { OutboxFailure, OutboxMessage, OutboxStore } from './outbox.js';
export { OutboxRelay } from './outbox/relay.js';
export type { OutboxRelayOptions, RelayPass } from './outbox/relay.js';
export type { RelayEventBus, RelayEventName, RelayEvents } from './outbox/relay-events.js';

// NestJS: the transport strategy, its context, the client proxy and the exception filter.
export { IdempotentEventPattern, SQS_TRANSPORT, SqsServer } from './nest/sqs.server.js';
export type { SqsHandlerExtras, SqsServerEvents, SqsServerOptions, SqsServerStatus } from './nest/sqs.server.js';
export { SqsContext } from './nest/sqs.context.js';
export type { SqsContextArgs } from './nest/sqs.context.js';
export { SqsClientProxy, SqsEventData, sqsEvent } from './nest/sqs.client.js';
export { SqsExceptionFilter } from './nest/sqs-exception.filter.js';
