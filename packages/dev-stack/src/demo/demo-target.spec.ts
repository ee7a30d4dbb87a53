import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StackConfigError } from '../config.js';
import { writeStackRecord } from '../stack-record.js';
import { expectStack, findDemoTarget, NoStackError } from './demo-target.js';

describe('demo target', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const newDir = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'demo-target-'));
    dirs.push(dir);
    return dir;
  };

  it('takes the URLs a running npm start recorded in its data directory', async () => {
    const dir = await newDir();
    await writeStackRecord(dir, {
      pid: process.pid,
      orderUrl: 'http://127.0.0.1:3100',
      shippingUrl: 'http://127.0.0.1:3101',
      sqsEndpoint: 'http://127.0.0.1:4600',
    });
    expect(await findDemoTarget({ STACK_DATA_DIR: dir, ORDER_PORT: '3000' }, '/repo')).toEqual({
      orderUrl: 'http://127.0.0.1:3100',
      shippingUrl: 'http://127.0.0.1:3101',
      sqsEndpoint: 'http://127.0.0.1:4600',
      source: `recorded by npm start in ${join(dir, 'stack.json')}`,
    });
  });

  it("otherwise reads npm start's own variables, with its defaults", async () => {
    const dir = await newDir();
    expect(await findDemoTarget({ STACK_DATA_DIR: dir }, '/repo')).toEqual({
      orderUrl: 'http://127.0.0.1:3000',
      shippingUrl: 'http://127.0.0.1:3001',
      sqsEndpoint: 'http://127.0.0.1:4566',
      source: `the default port; no running npm start recorded in ${join(dir, 'stack.json')}`,
    });
    expect(
      await findDemoTarget(
        {
          STACK_DATA_DIR: dir,
          ORDER_PORT: '3100',
          SHIPPING_PORT: '3101',
          SQS_PORT: '4600',
          STACK_BIND_HOST: '0.0.0.0',
        },
        '/repo',
      ),
    ).toEqual({
      orderUrl: 'http://127.0.0.1:3100',
      shippingUrl: 'http://127.0.0.1:3101',
      sqsEndpoint: 'http://127.0.0.1:4600',
      source: 'ORDER_PORT=3100',
    });
    const external = await findDemoTarget(
      { STACK_DATA_DIR: dir, AWS_ENDPOINT_URL_SQS: 'http://localstack:4566' },
      '/repo',
    );
    expect(external.sqsEndpoint).toBe('http://localstack:4566');
    await expect(findDemoTarget({ STACK_DATA_DIR: dir, ORDER_PORT: 'x' }, '/repo')).rejects.toThrow(StackConfigError);
  });

  it('says in one line what to run when no stack answers, naming the URL it tried', async () => {
    const server = createServer((request, response) => {
      response.statusCode = request.url === '/health' ? 200 : 404;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const target = { orderUrl: url, shippingUrl: url, sqsEndpoint: url, source: 'ORDER_PORT=1' };
    try {
      await expect(expectStack(target)).resolves.toBeUndefined();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const failure = expectStack(target);
    await expect(failure).rejects.toThrow(NoStackError);
    await expect(failure).rejects.toThrow(
      `No stack answers at ${url} (ORDER_PORT=1). Start it with "npm start" in another terminal, then run "npm run demo" again.`,
    );
  });
});
