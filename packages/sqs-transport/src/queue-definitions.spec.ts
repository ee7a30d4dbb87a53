import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { GetQueueAttributesCommand, ListQueuesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { InvalidOptionError } from './errors.js';
import type { QueueDefinitions } from './queue-definitions.js';
import { createQueues, parseQueueDefinitions } from './queue-definitions.js';
import type { SqsEmulator } from './testing/index.js';
import { startSqsEmulator } from './testing/index.js';

describe('parseQueueDefinitions', () => {
  it('applies the defaults', () => {
    expect(
      parseQueueDefinitions({
        queues: [
          { name: 'jobs' },
          { name: 'orders.fifo', contentBasedDeduplication: true, deadLetter: { name: 'orders-dlq.fifo' } },
        ],
      }),
    ).toEqual({
      queues: [
        { name: 'jobs', visibilityTimeoutSeconds: 30, messageRetentionSeconds: 1_209_600 },
        {
          name: 'orders.fifo',
          visibilityTimeoutSeconds: 30,
          messageRetentionSeconds: 1_209_600,
          contentBasedDeduplication: true,
          deadLetter: { name: 'orders-dlq.fifo', maxReceiveCount: 5 },
        },
      ],
    });
  });

  it('keeps the values given, at the range limits', () => {
    const parsed = parseQueueDefinitions({
      queues: [
        {
          name: 'q',
          visibilityTimeoutSeconds: 0,
          messageRetentionSeconds: 60,
          deadLetter: { name: 'd', maxReceiveCount: 1_000 },
        },
      ],
    });
    expect(parsed.queues[0]).toEqual({
      name: 'q',
      visibilityTimeoutSeconds: 0,
      messageRetentionSeconds: 60,
      deadLetter: { name: 'd', maxReceiveCount: 1_000 },
    });
  });

  it.each([[undefined], [null], [{}], [{ queues: [] }], [{ queues: 'jobs' }]])(
    'requires a non-empty queues array (%p)',
    (value) => {
      expect(() => parseQueueDefinitions(value)).toThrow(
        'Invalid option "queues": must be a non-empty array of queue definitions',
      );
    },
  );

  it.each<[string, unknown, string, string]>([
    ['a missing name', { queues: [{ name: 'ok' }, {}] }, 'queues[1].name', 'must be a non-empty string'],
    ['a null entry', { queues: [null] }, 'queues[0].name', 'must be a non-empty string'],
    [
      'visibility over 12 h',
      { queues: [{ name: 'q', visibilityTimeoutSeconds: 43_201 }] },
      'queues[0].visibilityTimeoutSeconds',
      'must be an integer from 0 to 43200',
    ],
    [
      'retention under a minute',
      { queues: [{ name: 'q', messageRetentionSeconds: 59 }] },
      'queues[0].messageRetentionSeconds',
      'must be an integer from 60 to 1209600',
    ],
    [
      'retention over 14 days',
      { queues: [{ name: 'q', messageRetentionSeconds: 1_209_601 }] },
      'queues[0].messageRetentionSeconds',
      'must be an integer from 60 to 1209600',
    ],
    [
      'content-based dedup on a standard queue',
      { queues: [{ name: 'q', contentBasedDeduplication: true }] },
      'queues[0].contentBasedDeduplication',
      'must be a boolean, on FIFO queues only',
    ],
    [
      'a non-boolean content-based dedup',
      { queues: [{ name: 'q.fifo', contentBasedDeduplication: 'yes' }] },
      'queues[0].contentBasedDeduplication',
      'must be a boolean, on FIFO queues only',
    ],
    [
      'a DLQ without a name',
      { queues: [{ name: 'q', deadLetter: {} }] },
      'queues[0].deadLetter.name',
      'must be a non-empty string',
    ],
    [
      'a null DLQ',
      { queues: [{ name: 'q', deadLetter: null }] },
      'queues[0].deadLetter.name',
      'must be a non-empty string',
    ],
    [
      'a standard DLQ for a FIFO queue',
      { queues: [{ name: 'q.fifo', deadLetter: { name: 'd' } }] },
      'queues[0].deadLetter.name',
      'must be FIFO exactly when the queue is FIFO',
    ],
    [
      'a FIFO DLQ for a standard queue',
      { queues: [{ name: 'q', deadLetter: { name: 'd.fifo' } }] },
      'queues[0].deadLetter.name',
      'must be FIFO exactly when the queue is FIFO',
    ],
    [
      'maxReceiveCount 0',
      { queues: [{ name: 'q', deadLetter: { name: 'd', maxReceiveCount: 0 } }] },
      'queues[0].deadLetter.maxReceiveCount',
      'must be an integer from 1 to 1000',
    ],
    [
      'maxReceiveCount 1001',
      { queues: [{ name: 'q', deadLetter: { name: 'd', maxReceiveCount: 1_001 } }] },
      'queues[0].deadLetter.maxReceiveCount',
      'must be an integer from 1 to 1000',
    ],
  ])('rejects %s, naming the entry and field', (_, value, option, requirement) => {
    expect(() => parseQueueDefinitions(value)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', option }));
    expect(() => parseQueueDefinitions(value)).toThrow(`Invalid option "${option}": ${requirement}`);
  });

  it('throws InvalidOptionError', () => {
    expect(() => parseQueueDefinitions({ queues: [{ name: '' }] })).toThrow(InvalidOptionError);
  });
});

describe('createQueues (fauxqs)', () => {
  let sqs: SqsEmulator;
  beforeAll(async () => {
    sqs = await startSqsEmulator();
  });
  afterAll(async () => {
    await sqs.stop();
  });

  /** Wraps the emulator's client to record the queue names of CreateQueue calls, in order. */
  function recording(client: SQSClient): { client: SQSClient; created: string[] } {
    const created: string[] = [];
    const wrapped = {
      send: (command: { constructor: { name: string }; input: { QueueName?: string } }) => {
        if (command.constructor.name === 'CreateQueueCommand') created.push(command.input.QueueName ?? '');
        return client.send(command as never);
      },
    };
    return { client: wrapped as unknown as SQSClient, created };
  }

  async function attributesOf(url: string): Promise<Record<string, string>> {
    const { Attributes = {} } = await sqs.client.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    return Attributes;
  }

  const definitions = (): QueueDefinitions =>
    parseQueueDefinitions({
      queues: [
        {
          name: `qd-orders-${process.pid}.fifo`,
          visibilityTimeoutSeconds: 45,
          contentBasedDeduplication: false,
          deadLetter: { name: `qd-orders-dlq-${process.pid}.fifo`, maxReceiveCount: 3 },
        },
        {
          name: `qd-jobs-${process.pid}`,
          messageRetentionSeconds: 3_600,
          deadLetter: { name: `qd-jobs-dlq-${process.pid}` },
        },
        { name: `qd-plain-${process.pid}` },
      ],
    });

  it('creates each DLQ before its queue, with the redrive policy pointing at it, and is idempotent', async () => {
    const defs = definitions();
    const [orders, jobs, plain] = defs.queues.map((queue) => queue.name) as [string, string, string];
    const ordersDlq = defs.queues[0]?.deadLetter?.name ?? '';
    const jobsDlq = defs.queues[1]?.deadLetter?.name ?? '';

    const first = recording(sqs.client);
    const created = await createQueues(first.client, defs);
    expect(first.created).toEqual([ordersDlq, orders, jobsDlq, jobs, plain]);
    expect([...created.keys()]).toEqual([ordersDlq, orders, jobsDlq, jobs, plain]);

    const main = created.get(orders);
    const dlq = created.get(ordersDlq);
    expect(main?.url).toMatch(new RegExp(`/${orders.replace('.', '\\.')}$`));
    expect(main?.arn).toMatch(/^arn:aws:sqs:/);
    expect(main?.deadLetter).toEqual({ name: ordersDlq, url: dlq?.url, arn: dlq?.arn });
    expect(created.get(plain)?.deadLetter).toBeUndefined();

    const mainAttributes = await attributesOf(main?.url ?? '');
    const redrive = JSON.parse(mainAttributes.RedrivePolicy ?? '{}') as {
      deadLetterTargetArn?: string;
      maxReceiveCount?: unknown;
    };
    expect(redrive.deadLetterTargetArn).toBe(dlq?.arn);
    expect(Number(redrive.maxReceiveCount)).toBe(3);
    expect(mainAttributes).toMatchObject({
      VisibilityTimeout: '45',
      FifoQueue: 'true',
      ContentBasedDeduplication: 'false',
    });
    expect((await attributesOf(dlq?.url ?? '')).FifoQueue).toBe('true');
    const jobsAttributes = await attributesOf(created.get(jobs)?.url ?? '');
    expect(jobsAttributes.MessageRetentionPeriod).toBe('3600');
    expect(Number(JSON.parse(jobsAttributes.RedrivePolicy ?? '{}').maxReceiveCount)).toBe(5);
    expect((await attributesOf(created.get(jobsDlq)?.url ?? '')).MessageRetentionPeriod).toBe('3600');

    // Running it again changes nothing: same URLs and ARNs, same attributes, no new queues.
    const before = await Promise.all([...created.values()].map((queue) => attributesOf(queue.url)));
    const listBefore = (await sqs.client.send(new ListQueuesCommand({ QueueNamePrefix: 'qd-' }))).QueueUrls ?? [];
    const again = await createQueues(sqs.client, definitions());
    expect([...again.entries()]).toEqual([...created.entries()]);
    const after = await Promise.all([...again.values()].map((queue) => attributesOf(queue.url)));
    const stable = (attributes: Record<string, string>): Record<string, string> => {
      const {
        VisibilityTimeout,
        MessageRetentionPeriod,
        RedrivePolicy,
        FifoQueue,
        ContentBasedDeduplication,
        QueueArn,
      } = attributes;
      return {
        VisibilityTimeout,
        MessageRetentionPeriod,
        RedrivePolicy,
        FifoQueue,
        ContentBasedDeduplication,
        QueueArn,
      } as Record<string, string>;
    };
    expect(after.map(stable)).toEqual(before.map(stable));
    const listAfter = (await sqs.client.send(new ListQueuesCommand({ QueueNamePrefix: 'qd-' }))).QueueUrls ?? [];
    expect([...listAfter].sort()).toEqual([...listBefore].sort());
    expect(listAfter).toHaveLength(5);
  });

  it('gives a queue that exists with other attributes the defined ones, keeping its URL and messages', async () => {
    const name = `qd-changed-${process.pid}.fifo`;
    const dlq = `qd-changed-dlq-${process.pid}.fifo`;
    const define = (visibilityTimeoutSeconds: number, maxReceiveCount: number): QueueDefinitions =>
      parseQueueDefinitions({
        queues: [{ name, visibilityTimeoutSeconds, deadLetter: { name: dlq, maxReceiveCount } }],
      });
    const first = await createQueues(sqs.client, define(30, 5));
    const url = first.get(name)?.url ?? '';
    await sqs.client.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'kept', MessageGroupId: 'g', MessageDeduplicationId: 'k' }),
    );

    const second = await createQueues(sqs.client, define(60, 2));
    expect(second.get(name)?.url).toBe(url);
    const attributes = await attributesOf(url);
    expect(attributes.VisibilityTimeout).toBe('60');
    expect(JSON.parse(attributes.RedrivePolicy ?? '{}')).toMatchObject({ maxReceiveCount: 2 });
    expect(attributes.ApproximateNumberOfMessages).toBe('1');
  });
});
