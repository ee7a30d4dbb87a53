import { describe, expect, it } from '@jest/globals';
import type { MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import { ListMessageMoveTasksCommand, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { DEAD_LETTER_ATTRIBUTES } from '../consumer/dead-letter.js';
import { createEnvelope } from '../producer/envelope.js';
import { FakeSqsClient } from '../testing/index.js';
import type { DeadLetterQueue } from './dead-letter-queues.js';
import { MoveTaskUnsupportedError, NoSourceQueueError } from './dlq-errors.js';
import { isSelected, redrive, redriveDeduplicationId } from './redrive.js';

const reason = (sourceUrl: string, code = 'PAYLOAD_INVALID'): Record<string, MessageAttributeValue> => ({
  [DEAD_LETTER_ATTRIBUTES.errorCode]: { DataType: 'String', StringValue: code },
  [DEAD_LETTER_ATTRIBUTES.errorMessage]: { DataType: 'String', StringValue: 'bad payload' },
  [DEAD_LETTER_ATTRIBUTES.sourceQueue]: { DataType: 'String', StringValue: sourceUrl },
  [DEAD_LETTER_ATTRIBUTES.receiveCount]: { DataType: 'Number', StringValue: '1' },
});

/** A FIFO queue and its DLQ on a fake SQS that, like AWS, returns several messages of one group in one receive. */
function fifoSetup() {
  const fake = new FakeSqsClient();
  const sourceUrl = fake.createQueue('jobs.fifo');
  const dlqUrl = fake.createQueue('jobs-dlq.fifo');
  const queue: DeadLetterQueue = {
    name: 'jobs-dlq.fifo',
    url: dlqUrl,
    fifo: true,
    source: { name: 'jobs.fifo', url: sourceUrl },
  };
  const put = (type: string, group: string, attributes = reason(sourceUrl)): string => {
    const envelope = createEnvelope({ type, payload: {} });
    fake.enqueue(dlqUrl, JSON.stringify(envelope), {
      groupId: group,
      deduplicationId: envelope.id,
      attributes: { type: { DataType: 'String', StringValue: type }, ...attributes },
    });
    return envelope.id;
  };
  const envelopeIds = (url: string): string[] =>
    fake.messages(url).map((message) => (JSON.parse(message.body) as { id: string }).id);
  return { fake, sqs: fake.asClient(), sourceUrl, dlqUrl, queue, put, envelopeIds };
}

describe('redrive (loop)', () => {
  it('sends every message back in group order with its group id, a derived deduplication id and no reason attributes', async () => {
    const { fake, sqs, sourceUrl, dlqUrl, queue, put, envelopeIds } = fifoSetup();
    const ids = [put('a', 'g1'), put('b', 'g1'), put('a', 'g2'), put('a', 'g1')];
    const dlqMessages = fake.messages(dlqUrl).map((message) => ({ ...message }));

    const report = await redrive(sqs, { queue, waitTimeSeconds: 0 });

    expect(report).toMatchObject({ method: 'loop', failed: [], kept: 0, notFound: [], interrupted: false });
    expect(report.moved).toHaveLength(4);
    expect(fake.messages(dlqUrl)).toHaveLength(0);
    expect(envelopeIds(sourceUrl)).toEqual(ids);
    fake.messages(sourceUrl).forEach((sent, index) => {
      const original = dlqMessages[index];
      expect(sent.groupId).toBe(original?.groupId);
      expect(sent.deduplicationId).toBe(
        redriveDeduplicationId({ messageId: original?.id ?? '', deduplicationId: original?.deduplicationId }),
      );
      expect(sent.deduplicationId).not.toBe(original?.deduplicationId);
      expect(Object.keys(sent.attributes)).toEqual(['type']);
    });
  });

  it('never sends a message ahead of an earlier one of its group that stays (not selected)', async () => {
    const { fake, sqs, sourceUrl, dlqUrl, queue, put, envelopeIds } = fifoSetup();
    const [first, second, third, other] = [put('a', 'g1'), put('b', 'g1'), put('b', 'g1'), put('b', 'g2')];

    const report = await redrive(sqs, { queue, select: { types: ['b'] }, waitTimeSeconds: 0 });

    expect(report.moved.map((moved) => moved.message.envelope?.id)).toEqual([other]);
    expect(report.kept).toBe(3);
    expect(envelopeIds(sourceUrl)).toEqual([other]);
    expect(envelopeIds(dlqUrl)).toEqual([first, second, third]);
    expect(fake.visibleMessages(dlqUrl)).toHaveLength(3); // released at the end
  });

  it('keeps a message whose send failed, and the rest of its group behind it', async () => {
    const { sqs, sourceUrl, dlqUrl, queue, put, envelopeIds } = fifoSetup();
    const gone = 'http://fake-sqs.local/000000000000/deleted.fifo';
    const stuck = put('a', 'g1', reason(gone));
    const behind = put('a', 'g1');
    const free = put('a', 'g2');

    const report = await redrive(sqs, { queue, waitTimeSeconds: 0 });

    expect(report.failed.map((failure) => failure.sent)).toEqual([false]);
    expect(report.moved.map((moved) => moved.message.envelope?.id)).toEqual([free]);
    expect(envelopeIds(dlqUrl)).toEqual([stuck, behind]);
    expect(envelopeIds(sourceUrl)).toEqual([free]);
  });

  it('a message with no source (no attribute, a DLQ outside the definitions) fails with NO_SOURCE_QUEUE and stays', async () => {
    const { fake, sqs, dlqUrl, queue, put } = fifoSetup();
    put('a', 'g1', {});
    const report = await redrive(sqs, { queue: { ...queue, source: undefined }, waitTimeSeconds: 0 });
    expect(report.failed[0]?.error).toBeInstanceOf(NoSourceQueueError);
    expect(fake.visibleMessages(dlqUrl)).toHaveLength(1);
  });

  it('a message moved by the redrive policy (no reason attributes) goes to the source queue of the definitions', async () => {
    const { fake, sqs, sourceUrl, queue, put } = fifoSetup();
    put('a', 'g1', {});
    const report = await redrive(sqs, { queue, select: { errorCodes: ['REDRIVE_POLICY'] }, waitTimeSeconds: 0 });
    expect(report.moved[0]?.targetQueueUrl).toBe(sourceUrl);
    expect(fake.messages(sourceUrl)).toHaveLength(1);
  });

  it('--dry-run sends nothing and releases everything; limit stops after that many', async () => {
    const { fake, sqs, sourceUrl, dlqUrl, queue, put } = fifoSetup();
    put('a', 'g1');
    put('a', 'g2');
    put('a', 'g3');
    const dry = await redrive(sqs, { queue, dryRun: true, waitTimeSeconds: 0 });
    expect(dry.moved).toHaveLength(3);
    expect(fake.messages(sourceUrl)).toHaveLength(0);
    expect(fake.visibleMessages(dlqUrl)).toHaveLength(3);

    const limited = await redrive(sqs, { queue, limit: 2, waitTimeSeconds: 0 });
    expect(limited.moved).toHaveLength(2);
    expect(fake.messages(sourceUrl)).toHaveLength(2);
    expect(fake.visibleMessages(dlqUrl)).toHaveLength(1);
  });

  it('a signal stops the run between two messages and releases what it holds', async () => {
    const { fake, sqs, sourceUrl, dlqUrl, queue, put } = fifoSetup();
    put('a', 'g1');
    put('a', 'g1');
    put('a', 'g2');
    const stop = new AbortController();
    const report = await redrive(sqs, { queue, waitTimeSeconds: 0, signal: stop.signal, onMoved: () => stop.abort() });
    expect(report).toMatchObject({ interrupted: true, kept: 2, failed: [] });
    expect(report.moved).toHaveLength(1);
    expect(fake.messages(sourceUrl)).toHaveLength(1);
    expect(fake.visibleMessages(dlqUrl)).toHaveLength(2);
  });

  it('reports ids it did not find', async () => {
    const { sqs, queue, put } = fifoSetup();
    const id = put('a', 'g1');
    const report = await redrive(sqs, { queue, select: { ids: [id, 'missing'] }, waitTimeSeconds: 0 });
    expect(report.moved).toHaveLength(1);
    expect(report.notFound).toEqual(['missing']);
  });

  it('validates its options', async () => {
    const { sqs, queue } = fifoSetup();
    await expect(redrive(sqs, { queue, holdSeconds: 1 })).rejects.toThrow(
      'Invalid option "holdSeconds": must be an integer from 5 to 43200',
    );
  });
});

describe('redrive with StartMessageMoveTask', () => {
  /** A standard queue and DLQ on a fake SQS that also answers the move task actions. */
  function standardSetup() {
    const fake = new FakeSqsClient();
    const sourceUrl = fake.createQueue('jobs');
    const dlqUrl = fake.createQueue('jobs-dlq');
    const started: unknown[] = [];
    const sqs = new Proxy(fake, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver) as unknown;
        return (command: unknown) => {
          if (command instanceof ListMessageMoveTasksCommand) return Promise.resolve({ Results: [] });
          if (command instanceof StartMessageMoveTaskCommand) {
            started.push(command.input);
            return Promise.resolve({ TaskHandle: 'task-1' });
          }
          return target.send(command);
        };
      },
    }) as unknown as SQSClient;
    const queue: DeadLetterQueue = {
      name: 'jobs-dlq',
      url: dlqUrl,
      fifo: false,
      source: { name: 'jobs', url: sourceUrl },
    };
    return { fake, sqs, sourceUrl, dlqUrl, queue, started };
  }

  it('auto: starts a move task to the source queue when every message came from the redrive policy', async () => {
    const { fake, sqs, dlqUrl, queue, started } = standardSetup();
    fake.enqueue(dlqUrl, '{}');
    const report = await redrive(sqs, { queue, waitTimeSeconds: 0 });
    expect(report.method).toBe('move-task');
    expect(report.moveTask?.taskHandle).toBe('task-1');
    expect(started).toEqual([
      {
        SourceArn: 'arn:aws:sqs:us-east-1:000000000000:jobs-dlq',
        DestinationArn: 'arn:aws:sqs:us-east-1:000000000000:jobs',
      },
    ]);
    expect(fake.visibleMessages(dlqUrl)).toHaveLength(1); // the look before deciding released it
  });

  it('auto: uses the loop when a message was moved by the transport, or when it selects', async () => {
    const { fake, sqs, sourceUrl, dlqUrl, queue, started } = standardSetup();
    fake.enqueue(dlqUrl, '{}');
    fake.enqueue(dlqUrl, '{}', { attributes: reason(sourceUrl) });
    expect((await redrive(sqs, { queue, select: { errorCodes: ['x'] }, waitTimeSeconds: 0 })).method).toBe('loop');
    expect((await redrive(sqs, { queue, waitTimeSeconds: 0 })).method).toBe('loop');
    expect(started).toEqual([]);
    expect(fake.messages(sourceUrl)).toHaveLength(2);
  });

  it('move-task refuses a selection; on an endpoint without the action it says so', async () => {
    const { sqs, queue } = standardSetup();
    await expect(redrive(sqs, { queue, method: 'move-task', select: { ids: ['x'] } })).rejects.toBeInstanceOf(
      MoveTaskUnsupportedError,
    );
    const bare = new FakeSqsClient();
    const dlqUrl = bare.createQueue('q-dlq');
    const unsupported = Object.assign(new Error('Unknown action: StartMessageMoveTask'), { name: 'InvalidAction' });
    const client = new Proxy(bare, {
      get: (target, property, receiver) =>
        property === 'send'
          ? (command: unknown) =>
              command instanceof StartMessageMoveTaskCommand ? Promise.reject(unsupported) : target.send(command)
          : (Reflect.get(target, property, receiver) as unknown),
    }) as unknown as SQSClient;
    await expect(
      redrive(client, { queue: { name: 'q-dlq', url: dlqUrl, fifo: false, source: undefined }, method: 'move-task' }),
    ).rejects.toThrow('StartMessageMoveTask cannot be used: the endpoint has no StartMessageMoveTask');
  });
});

describe('isSelected and redriveDeduplicationId', () => {
  const message = {
    messageId: 'm1',
    body: '',
    envelope: { id: 'e1', type: 'order.placed' },
    reason: { errorCode: 'PAYLOAD_INVALID', errorMessage: '', sourceQueueUrl: '', receiveCount: 1 },
    origin: 'transport' as const,
    groupId: 'g',
    deduplicationId: 'e1',
    sentAt: undefined,
    receiveCount: 1,
    attributes: {},
  };

  it('combines kinds with AND and values with OR; ids match the message id or the envelope id', () => {
    expect(isSelected(message)).toBe(true);
    expect(isSelected(message, { ids: ['e1'] })).toBe(true);
    expect(isSelected(message, { ids: ['m1'] })).toBe(true);
    expect(isSelected(message, { ids: ['x', 'm1'], types: ['order.placed'] })).toBe(true);
    expect(isSelected(message, { ids: ['m1'], types: ['other'] })).toBe(false);
    expect(isSelected(message, { errorCodes: ['REDRIVE_POLICY'] })).toBe(false);
    expect(isSelected({ ...message, reason: undefined }, { errorCodes: ['REDRIVE_POLICY'] })).toBe(true);
  });

  it('derives a stable id within SQS length, different per DLQ message and from the original', () => {
    const id = redriveDeduplicationId(message);
    expect(id).toBe(redriveDeduplicationId({ ...message }));
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(id).not.toBe(redriveDeduplicationId({ ...message, messageId: 'm2' }));
    expect(id).not.toBe(message.deduplicationId);
  });
});
