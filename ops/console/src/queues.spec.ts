import { describe, expect, it } from '@jest/globals';
import { DEFAULT_QUEUES_FILE } from './config.js';
import { consoleQueues, readQueuesFile } from './queues.js';

describe('consoleQueues', () => {
  it('lists each source queue followed by its DLQ, each naming the other', () => {
    expect(
      consoleQueues({
        queues: [{ name: 'a.fifo', deadLetter: { name: 'a-dlq.fifo', maxReceiveCount: 5 } }, { name: 'b' }],
      }),
    ).toEqual([
      { name: 'a.fifo', kind: 'source', partner: 'a-dlq.fifo' },
      { name: 'a-dlq.fifo', kind: 'dlq', partner: 'a.fifo' },
      { name: 'b', kind: 'source', partner: undefined },
    ]);
  });

  it("reads the repository's infra/queues.json, where every queue has a DLQ", () => {
    const queues = readQueuesFile(DEFAULT_QUEUES_FILE);
    expect(queues.filter((queue) => queue.kind === 'dlq')).toHaveLength(
      queues.filter((queue) => queue.kind === 'source').length,
    );
  });
});
