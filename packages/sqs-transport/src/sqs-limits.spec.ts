import { describe, expect, it } from '@jest/globals';
import * as limits from './sqs-limits.js';

describe('SQS limits', () => {
  it("are SQS's numbers", () => {
    expect({ ...limits }).toEqual({
      SQS_MAX_BATCH_ENTRIES: 10,
      SQS_MAX_ID_LENGTH: 128,
      SQS_MAX_RECEIVE_MESSAGES: 10,
      SQS_MAX_WAIT_TIME_SECONDS: 20,
      SQS_MAX_VISIBILITY_TIMEOUT_SECONDS: 12 * 60 * 60,
      SQS_MAX_VISIBILITY_TIMEOUT_MS: 12 * 60 * 60 * 1000,
      MAX_VISIBILITY_TIMEOUT_SECONDS: 12 * 60 * 60,
      SQS_MAX_MESSAGE_BYTES: 1024 * 1024,
      SQS_MIN_MESSAGE_SIZE_LIMIT_BYTES: 1024,
      DEFAULT_MAX_MESSAGE_BYTES: 256 * 1024,
      SQS_MAX_MESSAGE_ATTRIBUTES: 10,
      SQS_MIN_RETENTION_SECONDS: 60,
      SQS_MAX_RETENTION_SECONDS: 14 * 24 * 60 * 60,
      SQS_MAX_RECEIVE_COUNT: 1_000,
    });
  });
});
