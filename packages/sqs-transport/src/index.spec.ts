import { describe, expect, it } from '@jest/globals';

/**
 * The package's public runtime API, entry by entry. A change to an entry's export list changes this spec, so that
 * it shows in review. Types are not listed: they leave no runtime name.
 */
async function runtimeNames(entry: string): Promise<string[]> {
  return Object.keys((await import(entry)) as Record<string, unknown>).sort();
}

describe('public surface', () => {
  it('the main entry exports exactly its listed names', async () => {
    expect(await runtimeNames('./index.js')).toEqual([
      'DEAD_LETTER_ATTRIBUTES',
      'DEFAULT_MAX_MESSAGE_BYTES',
      'DeleteFailedError',
      'DependencyUnavailableError',
      'EventSender',
      'HandlerFailedError',
      'IdempotentEventPattern',
      'InvalidEnvelopeError',
      'InvalidJsonError',
      'InvalidOptionError',
      'LeaseBusyError',
      'LeaseLostError',
      'MAX_VISIBILITY_TIMEOUT_SECONDS',
      'MaxProcessingTimeExceededError',
      'MessageTooLargeError',
      'MissingGroupIdError',
      'NoRouteError',
      'NonRetryableError',
      'OutboxRelay',
      'PayloadValidationError',
      'SQS_MAX_BATCH_ENTRIES',
      'SQS_MAX_ID_LENGTH',
      'SQS_MAX_MESSAGE_ATTRIBUTES',
      'SQS_MAX_MESSAGE_BYTES',
      'SQS_MAX_RECEIVE_COUNT',
      'SQS_MAX_RECEIVE_MESSAGES',
      'SQS_MAX_RETENTION_SECONDS',
      'SQS_MAX_VISIBILITY_TIMEOUT_MS',
      'SQS_MAX_VISIBILITY_TIMEOUT_SECONDS',
      'SQS_MAX_WAIT_TIME_SECONDS',
      'SQS_MIN_MESSAGE_SIZE_LIMIT_BYTES',
      'SQS_MIN_RETENTION_SECONDS',
      'SQS_TRANSPORT',
      'SendFailedError',
      'ShutdownDeadlineExceededError',
      'SqsClientProxy',
      'SqsConsumer',
      'SqsContext',
      'SqsEventData',
      'SqsExceptionFilter',
      'SqsServer',
      'SqsTransportError',
      'TransportClosedError',
      'UnknownEventTypeError',
      'createEnvelope',
      'createPipeline',
      'createQueues',
      'createSqsClient',
      'errorCode',
      'errorMessage',
      'isRetryable',
      'lookUpQueueUrl',
      'parseEnvelope',
      'parseQueueDefinitions',
      'sqsEvent',
    ]);
  });

  it('the common entry exports exactly its listed names', async () => {
    expect(await runtimeNames('./common.js')).toEqual([
      'CONSUMER_OPTION_RANGES',
      'InvalidOptionError',
      'RELAY_OPTION_RANGES',
      'SQS_MAX_ID_LENGTH',
      'SQS_MAX_MESSAGE_ATTRIBUTES',
      'SQS_MAX_VISIBILITY_TIMEOUT_MS',
      'SQS_MAX_VISIBILITY_TIMEOUT_SECONDS',
      'SQS_MAX_WAIT_TIME_SECONDS',
      'SqsTransportError',
      'TRACE_ATTRIBUTES',
      'activeTraceAttributes',
      'delay',
      'errorMessage',
      'functionOption',
      'groupBy',
      'integerIn',
      'integerOption',
      'numberIn',
      'numberOption',
      'optionalNumberIn',
      'queueNameOf',
      'stringOption',
      'urlOption',
    ]);
  });

  it('the testing entry exports exactly its listed names', async () => {
    expect(await runtimeNames('./testing/index.js')).toEqual([
      'FakeSqsClient',
      'HandlerSpy',
      'StallableProxy',
      'freePort',
      'seededRandom',
      'sqsEmulatorAt',
      'startSqsEmulator',
      'waitFor',
    ]);
  });

  it('the dlq entry exports exactly its listed names', async () => {
    expect(await runtimeNames('./dlq/index.js')).toEqual([
      'DlqError',
      'EndpointUnreachableError',
      'MoveTaskUnsupportedError',
      'NoCredentialsError',
      'NoSourceQueueError',
      'NoSuchMessageError',
      'REDRIVE_POLICY_CODE',
      'UnknownQueueError',
      'classifySqsError',
      'findDeadLetterQueues',
      'isSelected',
      'peekDeadLetters',
      'queueDepth',
      'readDeadLetter',
      'redrive',
      'redriveDeduplicationId',
      'startMoveTask',
      'summarizeDeadLetterQueue',
      'supportsMoveTask',
    ]);
  });

  it('the entries share one class per error, so instanceof works whichever entry a package imports', async () => {
    const main = await import('./index.js');
    const common = await import('./common.js');
    expect(common.InvalidOptionError).toBe(main.InvalidOptionError);
    expect(common.SqsTransportError).toBe(main.SqsTransportError);
  });
});
