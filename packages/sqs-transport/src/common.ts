/**
 * `@sqsref/sqs-transport/common`: the parts of the transport that the packages built on it share, loadable without
 * Nest or the AWS SDK (so `@sqsref/sqs-prisma` and its command-line tools start fast). Everything here is also
 * exported from the main entry.
 */
export { delay } from './delay.js';
export * from './errors.js';
export * from './sqs-limits.js';
export * from './validate.js';
