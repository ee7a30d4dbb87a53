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
      SQS_INVALID_CHARACTER: limits.SQS_INVALID_CHARACTER,
    });
  });

  it('SQS_INVALID_CHARACTER matches exactly the characters outside the set SQS allows', () => {
    for (const allowed of [
      '\t',
      '\n',
      '\r',
      ' ',
      'a',
      '\ud7ff',
      '\ue000',
      '\ufffd',
      '\u{10000}',
      '\u{1F600}',
      '\u{10FFFF}',
    ]) {
      expect([allowed, limits.SQS_INVALID_CHARACTER.test(allowed)]).toEqual([allowed, false]);
    }
    for (const refused of ['\u0000', '\u0008', '\u000b', '\u000c', '\u001f', '\ufffe', '\uffff', '\ud800', 'x\udc00']) {
      expect([refused, limits.SQS_INVALID_CHARACTER.test(refused)]).toEqual([refused, true]);
    }
  });
});
