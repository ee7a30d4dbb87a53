/**
 * `@sqsref/sqs-transport/dlq`: read DLQs and send their messages back, for the `sqs-dlq` command and the operations
 * console. SQS only; no Nest. `index.spec.ts` pins this list.
 */
export { findDeadLetterQueues } from './dead-letter-queues.js';
export type { DeadLetterQueue } from './dead-letter-queues.js';
export { readDeadLetter } from './dead-letter-message.js';
export type { DeadLetterMessage, DeadLetterReason } from './dead-letter-message.js';
export { peekDeadLetters, queueDepth, summarizeDeadLetterQueue } from './inspect.js';
export type { DeadLetterQueueSummary, PeekOptions, QueueDepth } from './inspect.js';
export { REDRIVE_POLICY_CODE, isSelected, redrive, redriveDeduplicationId } from './redrive.js';
export type {
  RedriveFailure,
  RedriveMethod,
  RedriveOptions,
  RedriveReport,
  RedriveSelection,
  RedrivenMessage,
} from './redrive.js';
export { startMoveTask, supportsMoveTask } from './move-task.js';
export {
  DlqError,
  EndpointUnreachableError,
  MoveTaskUnsupportedError,
  NoCredentialsError,
  NoSourceQueueError,
  NoSuchMessageError,
  UnknownQueueError,
  classifySqsError,
} from './dlq-errors.js';
export type { DlqErrorCode } from './dlq-errors.js';
