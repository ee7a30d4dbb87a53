import { describe, expect, it } from '@jest/globals';
import { SQS_MAX_ID_LENGTH } from '@sqsref/sqs-transport/common';
import { redriveDeduplicationId } from './redrive.js';

describe('redriveDeduplicationId', () => {
  it('is the same for the same original, so SQS absorbs a repeated redrive within its window', () => {
    expect(redriveDeduplicationId('a-dlq.fifo', 'event-1')).toBe(redriveDeduplicationId('a-dlq.fifo', 'event-1'));
  });

  it('differs from the original and between originals, and fits SQS', () => {
    const id = redriveDeduplicationId('a-dlq.fifo', 'event-1');
    expect(id).not.toBe('event-1');
    expect(id).not.toBe(redriveDeduplicationId('a-dlq.fifo', 'event-2'));
    expect(id.length).toBeLessThanOrEqual(SQS_MAX_ID_LENGTH);
  });
});
