/**
 * Amazon SQS's own limits, in one place: every check, cap and batch size of the transport (and of the packages built
 * on it) that comes from SQS uses these names instead of a literal. They are SQS's numbers, not the transport's
 * defaults (those live with their options). Seconds where SQS counts in seconds.
 */

/** Entries in one `SendMessageBatch`, `DeleteMessageBatch` or `ChangeMessageVisibilityBatch` call: 10. */
export const SQS_MAX_BATCH_ENTRIES = 10;

/** Messages one `ReceiveMessage` call may return (its largest `MaxNumberOfMessages`): 10. */
export const SQS_MAX_RECEIVE_MESSAGES = 10;

/** The longest long poll (`WaitTimeSeconds`), in seconds: 20. */
export const SQS_MAX_WAIT_TIME_SECONDS = 20;

/**
 * The longest visibility timeout, in seconds: 12 hours. It also bounds how long a message can be kept invisible in
 * all, counted from its receive, however often it is extended.
 */
export const SQS_MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;

/** {@link SQS_MAX_VISIBILITY_TIMEOUT_SECONDS} in milliseconds (12 hours), for leases and timeouts kept in ms. */
export const SQS_MAX_VISIBILITY_TIMEOUT_MS = SQS_MAX_VISIBILITY_TIMEOUT_SECONDS * 1_000;

/** @deprecated The old name of {@link SQS_MAX_VISIBILITY_TIMEOUT_SECONDS}. */
export const MAX_VISIBILITY_TIMEOUT_SECONDS = SQS_MAX_VISIBILITY_TIMEOUT_SECONDS;

/** The largest message SQS accepts (body and attributes), in bytes: 1 MiB. */
export const SQS_MAX_MESSAGE_BYTES = 1_048_576;

/** The smallest message size limit a queue can have (`MaximumMessageSize`), in bytes: 1 KiB. */
export const SQS_MIN_MESSAGE_SIZE_LIMIT_BYTES = 1_024;

/**
 * 256 KiB: SQS's largest message before it allowed 1 MiB, and what every SQS-compatible endpoint accepts. The
 * transport's default `maxMessageBytes`.
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 262_144;

/** Message attributes one message may carry: 10. */
export const SQS_MAX_MESSAGE_ATTRIBUTES = 10;

/** The shortest message retention of a queue, in seconds: 60. */
export const SQS_MIN_RETENTION_SECONDS = 60;

/** The longest message retention of a queue, in seconds: 14 days. */
export const SQS_MAX_RETENTION_SECONDS = 1_209_600;

/** The largest `maxReceiveCount` of a redrive policy: 1,000. */
export const SQS_MAX_RECEIVE_COUNT = 1_000;

/** Longest `MessageGroupId` and `MessageDeduplicationId` SQS accepts, in characters. */
export const SQS_MAX_ID_LENGTH = 128;

/**
 * One character SQS refuses in a message body or a String attribute: it allows only tab, line feed, carriage return,
 * U+0020 to U+D7FF, U+E000 to U+FFFD and U+10000 to U+10FFFF, so control characters (NUL included), U+FFFE, U+FFFF
 * and lone surrogates are out. Not global: `test` it, or build a global copy to replace.
 */
export const SQS_INVALID_CHARACTER =
  // eslint-disable-next-line no-control-regex -- the control characters SQS refuses are what this matches
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
