import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@sqsref/sqs-transport/testing';
import {
  ctrlC,
  EMBEDDED_FAST,
  expectCleanStop,
  listening,
  npmStart,
  repoRoot,
  stackPorts,
} from './support/npm-start.js';

jest.setTimeout(240_000);
const root = repoRoot;

describe('npm start: the embedded stack', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('brings up a stack that ships an order placed over HTTP, stops on SIGINT leaving nothing behind, and keeps the orders across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'npm-start-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const ports = await stackPorts();
    const env = {
      ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
      STACK_DATA_DIR: dataDir,
      ...EMBEDDED_FAST,
    };
    const orderUrl = `http://127.0.0.1:${ports.ORDER_PORT}`;

    const first = npmStart(env);
    cleanups.push(async () => {
      await ctrlC(first);
    });
    await waitFor(() => first.output().includes('The stack is up.') || first.child.exitCode !== null, {
      timeoutMs: 180_000,
      description: 'npm start to report the stack up',
    });
    expect(first.output()).toContain('The stack is up.');
    expect(first.output()).toContain(`${orderUrl}`);

    const created = await fetch(`${orderUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        customerId: 'newcomer',
        items: [{ sku: 'BOOK-1', quantity: 1 }],
        shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const shipped = await waitFor(
      async () => {
        const order = (await (await fetch(`${orderUrl}/orders/${id}`)).json()) as {
          status: string;
          history: Array<{ type: string }>;
        };
        return order.status === 'SHIPPED' && order;
      },
      { timeoutMs: 60_000, description: 'the order to ship' },
    );
    expect(shipped.history[0]?.type).toBe('order.placed');

    // The demo, against the running stack: places, cancels, watches until all settle, then sums up.
    const demo = spawn('npm', ['run', 'demo', '--', '--orders=8', '--cancel=0.5'], {
      cwd: root,
      env: {
        ...process.env,
        ORDER_URL: orderUrl,
        SHIPPING_URL: `http://127.0.0.1:${ports.SHIPPING_PORT}`,
        AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${ports.SQS_PORT}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let demoOutput = '';
    demo.stdout?.setEncoding('utf8').on('data', (chunk: string) => (demoOutput += chunk));
    demo.stderr?.setEncoding('utf8').on('data', (chunk: string) => (demoOutput += chunk));
    const demoExit = await new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
    expect({ demoExit, demoOutput }).toMatchObject({ demoExit: 0 });
    expect(demoOutput).toContain('8/8 settled');
    expect(demoOutput).toMatch(/end-to-end latency p50 \d+ ms, p99 \d+ ms/);
    expect(demoOutput).toMatch(/duplicates absorbed by the inboxes: \d+/);
    expect(demoOutput).toContain('messages dead-lettered: 0');

    expectCleanStop(await ctrlC(first), first.output());
    for (const port of Object.values(ports)) expect(await listening(port)).toBe(false);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    const second = npmStart(env);
    cleanups.push(async () => {
      await ctrlC(second);
    });
    await waitFor(() => second.output().includes('The stack is up.') || second.child.exitCode !== null, {
      timeoutMs: 180_000,
      description: 'the second start',
    });
    const again = (await (await fetch(`${orderUrl}/orders/${id}`)).json()) as { status: string };
    expect(again.status).toBe('SHIPPED');
    expectCleanStop(await ctrlC(second), second.output());
    for (const port of Object.values(ports)) expect(await listening(port)).toBe(false);
  });
});
