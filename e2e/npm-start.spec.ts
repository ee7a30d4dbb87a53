import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@sqsref/sqs-transport/testing';
import { listeningSockets } from './support/processes.js';
import {
  ctrlC,
  expectCleanStop,
  freeStackPorts,
  listening,
  npmRunDemo,
  npmStart,
  stackEnv,
  waitUntilUp,
} from './support/npm-start.js';

jest.setTimeout(240_000);

describe('npm start: the embedded stack', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('brings up a stack that ships an order placed over HTTP, stops on SIGINT leaving nothing behind, and keeps the orders across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'npm-start-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const ports = await freeStackPorts();
    const env = stackEnv(ports, dataDir);
    const orderUrl = `http://127.0.0.1:${ports.ORDER_PORT}`;

    const first = npmStart(env, ['--json']); // the services' raw JSON logs
    cleanups.push(async () => {
      await ctrlC(first);
    });
    await waitUntilUp(first);
    expect(first.output()).toContain(`${orderUrl}`);
    expect(first.output()).toMatch(/^\[order\] \{"level":"info",.*"msg":"Mapped \{\/orders, POST\} route"\}$/m);

    // Every port the stack opens (emulator, PostgreSQL, both services) is on 127.0.0.1, none on a wildcard address.
    const sockets = await listeningSockets(first.child.pid ?? 0);
    expect(new Set(sockets.map((socket) => socket.port))).toEqual(new Set(Object.values(ports)));
    expect(sockets.filter((socket) => socket.address !== '127.0.0.1')).toEqual([]);

    // The operations console: printed like the services, and reading the queues.
    const consoleUrl = `http://127.0.0.1:${ports.CONSOLE_PORT}`;
    expect(first.output()).toContain(`  console           ${consoleUrl}`);
    const queues = (await (await fetch(`${consoleUrl}/api/queues`)).json()) as Array<{ name: string }>;
    expect(queues.map((queue) => queue.name)).toContain('order-events-dlq.fifo');

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

    // The demo, against the running stack on its free ports: it is told only the data directory, and finds the
    // stack from what npm start recorded there. It places, cancels, watches until all settle, then sums up.
    const { code: demoExit, output: demoOutput } = await npmRunDemo({ STACK_DATA_DIR: dataDir }, [
      '--orders=8',
      '--cancel=0.5',
    ]);
    expect({ demoExit, demoOutput }).toMatchObject({ demoExit: 0 });
    expect(demoOutput).toContain(`Placing 8 orders at ${orderUrl}`);
    expect(demoOutput).toContain('8/8 settled');
    expect(demoOutput).toMatch(/end-to-end latency p50 \d+ ms, p99 \d+ ms/);
    expect(demoOutput).toMatch(/duplicates absorbed by the inboxes: \d+/);
    expect(demoOutput).toContain('messages dead-lettered: 0');

    expectCleanStop(await ctrlC(first), first.output());
    for (const port of Object.values(ports)) expect(await listening(port)).toBe(false);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    expect(existsSync(join(dataDir, 'stack.json'))).toBe(false);

    // With no stack answering, the demo says in one line what to run, and which URL it tried.
    const noStack = await npmRunDemo({ STACK_DATA_DIR: dataDir, ORDER_PORT: String(ports.ORDER_PORT) });
    expect(noStack.code).not.toBe(0);
    const said = noStack.output.split('\n').filter((line) => line.includes(orderUrl));
    expect(said).toEqual([
      `No stack answers at ${orderUrl} (ORDER_PORT=${ports.ORDER_PORT}). Start it with "npm start" in another terminal, then run "npm run demo" again.`,
    ]);
    expect(noStack.output).not.toMatch(/fetch failed|\n\s+at /);

    const second = npmStart({ ...env, LOG_LEVEL: 'warn' }); // a LOG_LEVEL also gives the raw lines
    cleanups.push(async () => {
      await ctrlC(second);
    });
    await waitUntilUp(second, 'the second start');
    const again = (await (await fetch(`${orderUrl}/orders/${id}`)).json()) as { status: string };
    expect(again.status).toBe('SHIPPED');
    expect(second.output()).not.toContain('listening on http'); // no compact view
    expectCleanStop(await ctrlC(second), second.output());
    for (const port of Object.values(ports)) expect(await listening(port)).toBe(false);
  });
});
