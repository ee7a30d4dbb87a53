import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SqsEmulator } from '@sqsref/sqs-transport/testing';
import { startSqsEmulator } from '@sqsref/sqs-transport/testing';
import { ChartSampler } from './charts.js';
import { ConsoleApi } from './console-api.js';
import { InvalidRequestError, UnknownQueueError } from './errors.js';
import { OrderFeed } from './order-feed.js';
import type { QueueDirectory } from './queues.js';
import type { Redriver, RedriveRequest } from './redrive.js';
import { deadLetter, testDirectory } from './test-queues.js';

describe('ConsoleApi against fauxqs', () => {
  let emulator: SqsEmulator;
  let directory: QueueDirectory;
  let api: ConsoleApi;
  const redrives: RedriveRequest[] = [];
  const now = Date.parse('2030-01-01T00:00:00.000Z');

  beforeAll(async () => {
    emulator = await startSqsEmulator();
    directory = await testDirectory(emulator);
    const orders = new OrderFeed('http://127.0.0.1:1');
    const redriver: Redriver = {
      redrive: async (request) => {
        redrives.push(request);
        return { redriven: [], failed: [] };
      },
    };
    const charts = new ChartSampler({ services: {}, timelines: () => orders.latest() });
    api = new ConsoleApi(emulator.client, directory, orders, charts, redriver, () => now);
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it("lists each queue with its counts, its DLQ's depth, and the DLQ's oldest message's age", async () => {
    await deadLetter(emulator, directory, { body: 'x', groupId: 'g', deduplicationId: 'd1' });
    const rows = await api.queues();
    expect(rows.map((row) => [row.name, row.kind, row.visible, row.deadLetterDepth, row.error])).toEqual([
      ['work.fifo', 'source', 0, 1, null],
      ['work-dlq.fifo', 'dlq', 1, null, null],
    ]);
    // Sent just now, seen from 2030: years old. Source queues have no age (SQS would have to receive).
    expect(rows[1]?.oldestAgeSeconds).toBeGreaterThan(60 * 60 * 24 * 365);
    expect(rows[0]?.oldestAgeSeconds).toBeNull();
    // The peek gave the message back: it is still visible, not in flight.
    expect((await api.queues())[1]).toMatchObject({ visible: 1, inFlight: 0 });
  });

  it("shows each DLQ's messages with their reasons", async () => {
    const [dlq] = await api.deadLetters();
    expect(dlq).toMatchObject({ name: 'work-dlq.fifo', sourceQueue: 'work.fifo', depth: 1 });
    expect(dlq?.messages.map((message) => [message.body, message.errorCode, message.type])).toEqual([
      ['x', 'PAYLOAD_INVALID', 'thing.happened'],
    ]);
  });

  it('passes a valid redrive on, and refuses a queue that is not a DLQ or a bad selection', async () => {
    await api.redrive('work-dlq.fifo', { messageIds: ['m-1'] });
    await api.redrive('work-dlq.fifo', {});
    expect(redrives).toEqual([
      { deadLetterQueue: 'work-dlq.fifo', messageIds: ['m-1'] },
      { deadLetterQueue: 'work-dlq.fifo' },
    ]);
    await expect(api.redrive('work.fifo', {})).rejects.toThrow(UnknownQueueError);
    for (const messageIds of [[], 'm-1', [''], [42]]) {
      await expect(api.redrive('work-dlq.fifo', { messageIds })).rejects.toThrow(InvalidRequestError);
    }
    expect(redrives).toHaveLength(2);
  });
});
