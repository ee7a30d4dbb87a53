import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStackRecord, removeStackRecord, STACK_RECORD_FILE, writeStackRecord } from './stack-record.js';

describe('stack record', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const newDir = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'stack-record-'));
    dirs.push(dir);
    return dir;
  };
  const urls = {
    orderUrl: 'http://127.0.0.1:3100',
    shippingUrl: 'http://127.0.0.1:3101',
    sqsEndpoint: 'http://127.0.0.1:4600',
  };

  it('is read back while its process lives, and removed by that process only', async () => {
    const dir = await newDir();
    expect(await readStackRecord(dir)).toBeUndefined();
    await writeStackRecord(dir, { pid: process.pid, ...urls });
    expect(await readStackRecord(dir)).toEqual({ pid: process.pid, ...urls });

    await writeStackRecord(dir, { pid: process.ppid, ...urls }); // another stack's
    await removeStackRecord(dir);
    expect(existsSync(join(dir, STACK_RECORD_FILE))).toBe(true);
    await writeStackRecord(dir, { pid: process.pid, ...urls });
    await removeStackRecord(dir);
    expect(existsSync(join(dir, STACK_RECORD_FILE))).toBe(false);
  });

  it('ignores the record of a stack whose process is gone, and one that is not a record', async () => {
    const dir = await newDir();
    const exited = spawnSync(process.execPath, ['-e', '0']).pid;
    await writeStackRecord(dir, { pid: exited, ...urls });
    expect(await readStackRecord(dir)).toBeUndefined();
    for (const text of ['{', '[]', JSON.stringify({ pid: process.pid, ...urls, orderUrl: 'not a url' })]) {
      await writeFile(join(dir, STACK_RECORD_FILE), text);
      expect(await readStackRecord(dir)).toBeUndefined();
    }
  });
});
