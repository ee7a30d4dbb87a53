import { describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { QUEUES_FILE, readQueueDefinitions } from './queue-file.js';

describe('readQueueDefinitions', () => {
  it("reads the repository's infra/queues.json by default", () => {
    const raw = JSON.parse(readFileSync(QUEUES_FILE, 'utf8')) as { queues: Array<{ name: string }> };
    expect(QUEUES_FILE).toMatch(/\/infra\/queues\.json$/);
    expect(readQueueDefinitions().queues.map((queue) => queue.name)).toEqual(raw.queues.map((queue) => queue.name));
  });

  it('rejects a file that is not a queue definition', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'queue-file-'));
    try {
      await writeFile(join(dir, 'queues.json'), '{"queues": [{"name": 7}]}');
      expect(() => readQueueDefinitions(join(dir, 'queues.json'))).toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
