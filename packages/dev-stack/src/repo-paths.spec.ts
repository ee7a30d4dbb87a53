import { describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { QUEUES_FILE, readQueueDefinitions, REPO_ROOT, serviceEntry } from './repo-paths.js';

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

  it("names a service's built entry under the repository (or a given root)", () => {
    expect(serviceEntry('order-service')).toBe(join(REPO_ROOT, 'apps/order-service/dist/main.js'));
    expect(serviceEntry('shipping-service', '/repo')).toBe('/repo/apps/shipping-service/dist/main.js');
    expect(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).toContain('"workspaces"');
  });
});
