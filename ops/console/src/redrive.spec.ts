import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { SqsEmulator } from '@sqsref/sqs-transport/testing';
import { startSqsEmulator } from '@sqsref/sqs-transport/testing';
import { peekDeadLetters } from './dead-letters.js';
import { UnknownQueueError } from './errors.js';
import type { QueueDirectory } from './queues.js';
import { queueDepth, redriveDeduplicationId } from '@sqsref/sqs-transport/dlq';
import { LibraryRedriver } from './redrive.js';
import { deadLetter, testDirectory } from './test-queues.js';

describe('LibraryRedriver (the transport DLQ library) against fauxqs', () => {
  let emulator: SqsEmulator;
  let directory: QueueDirectory;
  let redriver: LibraryRedriver;

  beforeAll(async () => {
    emulator = await startSqsEmulator();
    directory = await testDirectory(emulator);
    redriver = new LibraryRedriver(emulator.client, directory);
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  /** Takes every message of the source queue (receive and delete), with its FIFO ids. */
  async function takeFromSource(): Promise<Message[]> {
    const url = await directory.url('work.fifo');
    const taken: Message[] = [];
    for (;;) {
      const { Messages = [] } = await emulator.client.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          MessageSystemAttributeNames: ['MessageGroupId', 'MessageDeduplicationId'],
          MessageAttributeNames: ['All'],
        }),
      );
      if (Messages.length === 0) return taken;
      for (const message of Messages) {
        taken.push(message);
        await emulator.client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
      }
    }
  }

  it('sends the selected message back with its group, a derived deduplication id and no reason attributes', async () => {
    await deadLetter(emulator, directory, { body: 'one', groupId: 'g1', deduplicationId: 'e1' });
    await deadLetter(emulator, directory, { body: 'two', groupId: 'g1', deduplicationId: 'e2' });
    await deadLetter(emulator, directory, { body: 'three', groupId: 'g2', deduplicationId: 'e3' });
    const shown = await peekDeadLetters(emulator.client, await directory.url('work-dlq.fifo'), 10);
    // A peek of a FIFO queue sees the first message of each group: SQS hides a group's later messages while one
    // is held.
    expect(shown.map((message) => [message.body, message.errorCode, message.sourceQueue, message.groupId])).toEqual([
      ['one', 'PAYLOAD_INVALID', 'work.fifo', 'g1'],
      ['three', 'PAYLOAD_INVALID', 'work.fifo', 'g2'],
    ]);
    const first = shown.find((message) => message.body === 'one')?.messageId ?? '';

    const result = await redriver.redrive({ deadLetterQueue: 'work-dlq.fifo', messageIds: [first] });

    expect(result).toEqual({ redriven: [{ messageId: first, sourceQueue: 'work.fifo' }], failed: [] });
    const [sent, ...more] = await takeFromSource();
    expect(more).toEqual([]);
    expect(sent?.Body).toBe('one');
    expect(sent?.Attributes).toMatchObject({
      MessageGroupId: 'g1',
      MessageDeduplicationId: redriveDeduplicationId({ messageId: first, deduplicationId: 'e1' }),
    });
    expect(Object.keys(sent?.MessageAttributes ?? {})).toEqual(['type']);
    // The others stay, and the peek left them visible.
    const left = await peekDeadLetters(emulator.client, await directory.url('work-dlq.fifo'), 10);
    expect(left.map((message) => message.body)).toEqual(['two', 'three']);
  });

  it('redrives all the rest and deletes them from the DLQ', async () => {
    const result = await redriver.redrive({ deadLetterQueue: 'work-dlq.fifo' });
    expect(result.redriven).toHaveLength(2);
    expect(result.failed).toEqual([]);
    expect((await takeFromSource()).map((message) => message.Body).sort()).toEqual(['three', 'two']);
    expect(await queueDepth(emulator.client, await directory.url('work-dlq.fifo'))).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
    });
  });

  it('keeps a message whose delete failed, and a second redrive of it sends nothing twice', async () => {
    await deadLetter(emulator, directory, { body: 'again', groupId: 'g3', deduplicationId: 'e4' });
    // The first run sends, then loses the delete (as a crash between the two would).
    let deletes = 0;
    const losesFirstDelete = {
      send: (command: unknown) =>
        command instanceof DeleteMessageCommand && deletes++ === 0
          ? Promise.reject(new Error('delete lost'))
          : emulator.client.send(command as ReceiveMessageCommand),
    } as unknown as SQSClient;
    const first = await new LibraryRedriver(losesFirstDelete, directory).redrive({ deadLetterQueue: 'work-dlq.fifo' });
    expect(first.failed).toEqual([{ messageId: expect.any(String), error: 'delete lost' }]);
    expect((await peekDeadLetters(emulator.client, await directory.url('work-dlq.fifo'), 10)).length).toBe(1);

    const second = await redriver.redrive({ deadLetterQueue: 'work-dlq.fifo' });
    expect(second.redriven).toHaveLength(1);
    expect((await takeFromSource()).map((message) => message.Body)).toEqual(['again']);
  });

  it('reports a selected message that is not in the DLQ, and refuses a queue that is not a DLQ', async () => {
    expect(await redriver.redrive({ deadLetterQueue: 'work-dlq.fifo', messageIds: ['no-such-id'] })).toEqual({
      redriven: [],
      failed: [{ messageId: 'no-such-id', error: expect.stringContaining('not in the DLQ') }],
    });
    await expect(redriver.redrive({ deadLetterQueue: 'work.fifo' })).rejects.toThrow(UnknownQueueError);
  });
});
