import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStackConfig } from './config.js';
import { writeStackRecord } from './stack-record.js';
import { resetStackData, StackRunningError } from './stack.js';

describe('resetStackData', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('deletes the databases and the queues, and refuses while a stack runs on them', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'stack-reset-'));
    dirs.push(dataDir);
    const config = readStackConfig({ STACK_DATA_DIR: dataDir }, '/repo');
    for (const dir of ['postgres', 'sqs']) {
      await mkdir(join(dataDir, dir));
      await writeFile(join(dataDir, dir, 'data'), 'kept');
    }

    await writeStackRecord(dataDir, {
      pid: process.pid,
      orderUrl: 'http://127.0.0.1:3000',
      shippingUrl: 'http://127.0.0.1:3001',
      sqsEndpoint: 'http://127.0.0.1:4566',
    });
    await expect(resetStackData(config)).rejects.toThrow(StackRunningError);
    expect(existsSync(join(dataDir, 'sqs', 'data'))).toBe(true);

    await rm(join(dataDir, 'stack.json'));
    await resetStackData(config);
    expect(existsSync(join(dataDir, 'postgres'))).toBe(false);
    expect(existsSync(join(dataDir, 'sqs'))).toBe(false);
  });
});
