/**
 * `@sqsref/sqs-transport/common`: what the packages built on the transport share with it, loadable without Nest or
 * the AWS SDK (so `@sqsref/sqs-prisma` and its command-line tools start fast): SQS's limits, the option validator
 * and its error, and the small helpers they use. The option validators and `delay` are only here: they are for
 * packages built on the transport, not part of the main entry's API. `index.spec.ts` pins this list.
 */
export { CONSUMER_OPTION_RANGES } from './consumer/consumer-defaults.js';
export { RELAY_OPTION_RANGES } from './outbox/relay-defaults.js';
export { groupBy } from './batches.js';
export { delay } from './delay.js';
export { InvalidOptionError, SqsTransportError, errorMessage } from './errors.js';
export type { SqsTransportErrorCode } from './errors.js';
export {
  SQS_MAX_ID_LENGTH,
  SQS_MAX_MESSAGE_ATTRIBUTES,
  SQS_MAX_VISIBILITY_TIMEOUT_MS,
  SQS_MAX_VISIBILITY_TIMEOUT_SECONDS,
  SQS_MAX_WAIT_TIME_SECONDS,
} from './sqs-limits.js';
export {
  functionOption,
  integerIn,
  integerOption,
  numberIn,
  numberOption,
  type OptionRange,
  optionalNumberIn,
  stringOption,
  urlOption,
} from './validate.js';
export { activeTraceAttributes, TRACE_ATTRIBUTES } from './tracing/trace-context.js';
export { queueNameOf } from './queue-urls.js';
