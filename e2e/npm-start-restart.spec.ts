import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonClient } from '@sqsref/service-kit/testing';
import { jsonClient } from '@sqsref/service-kit/testing';
import { waitFor } from '@sqsref/sqs-transport/testing';
import type { StartedStack, StackPorts } from './support/npm-start.js';
import {
  ctrlC,
  expectCleanStop,
  freeStackPorts,
  killGroup,
  listening,
  npmStart,
  stackEnv,
  waitUntilUp,
} from './support/npm-start.js';
import { isRunning, processTree } from './support/processes.js';
import type { OrderBody } from './support/stack.js';
import { newOrder } from './support/stack.js';

jest.setTimeout(240_000);

const ORDERS = 15;
const FINAL = new Set(['SHIPPED', 'CANCELLED']);

interface Api {
  orders: JsonClient;
  shipments: JsonClient;
}

const api = (ports: StackPorts): Api => ({
  orders: jsonClient(`http://127.0.0.1:${ports.ORDER_PORT}`),
  shipments: jsonClient(`http://127.0.0.1:${ports.SHIPPING_PORT}`),
});

async function placeOrders({ orders }: Api, count: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, n) => {
      const response = await orders.post<OrderBody>('/orders', newOrder(`restart-${n}`));
      if (response.status !== 201) throw new Error(`POST /orders answered ${response.status}`);
      return response.body.id;
    }),
  );
}

async function statuses({ orders }: Api, ids: readonly string[]): Promise<string[]> {
  return Promise.all(ids.map(async (id) => (await orders.get<OrderBody>(`/orders/${id}`)).body.status));
}

/** Waits until every order is in a final state; then each has exactly one shipment. */
async function expectEveryOrderSettled(target: Api, ids: readonly string[]): Promise<string[]> {
  let last: string[] = [];
  await waitFor(
    async () => {
      last = await statuses(target, ids);
      return last.every((status) => FINAL.has(status));
    },
    { timeoutMs: 90_000, intervalMs: 250, description: 'every order final' },
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}; statuses: ${last.join(', ')}`);
  });
  for (const id of ids) {
    const { body } = await target.shipments.get<unknown[]>(`/shipments?orderId=${id}`);
    expect({ id, shipments: body.length }).toEqual({ id, shipments: 1 });
  }
  return last;
}

describe('npm start: queues as durable as the databases', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function newStack(extra: Record<string, string>): Promise<{
    ports: StackPorts;
    start: () => Promise<StartedStack>;
  }> {
    const dataDir = await mkdtemp(join(tmpdir(), 'npm-start-restart-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const ports = await freeStackPorts();
    const env = stackEnv(ports, dataDir, extra);
    return {
      ports,
      start: async () => {
        const stack = npmStart(env);
        cleanups.push(async () => {
          await killGroup(stack);
        });
        await waitUntilUp(stack);
        return stack;
      },
    };
  }

  it('keeps every message across Ctrl-C: orders placed just before it all ship after the next start, one shipment each', async () => {
    // Label jobs of a second: at the stop, messages sit in every queue and jobs run. Messages received by a long poll
    // that the stop cut short come back after the visibility timeout: 5 s here, the queue's 30 s by default.
    const { ports, start } = await newStack({ LABEL_JOB_MS: '1000', SQS_VISIBILITY_TIMEOUT_SECONDS: '5' });
    const target = api(ports);
    const first = await start();
    const ids = await placeOrders(target, ORDERS);
    expectCleanStop(await ctrlC(first), first.output());

    const second = await start();
    expect(await expectEveryOrderSettled(target, ids)).toEqual(Array(ORDERS).fill('SHIPPED'));

    // The compact view: one line per order step, with the order's id; no framework lines.
    const output = first.output() + second.output();
    expect(output).toMatch(new RegExp(`\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  order     ${ids[0]}  POST /orders 201 `));
    expect(output).toMatch(/shipping {2}[0-9a-f-]{36} {2}shipment\.label_requested +\d+ ms/);
    expect(output).toMatch(/order {5}[0-9a-f-]{36} {2}shipment\.dispatched +\d+ ms/);
    expect(output).not.toContain('Mapped {');
    expect(output).not.toContain('"level":"info"');
    expectCleanStop(await ctrlC(second), second.output());
  });

  it('recovers from SIGKILL of the whole process group mid-flow: nothing survives it, nothing is lost', async () => {
    // Short visibility timeout and relay lease, so that what was in flight at the kill comes back within seconds.
    const { ports, start } = await newStack({
      LABEL_JOB_MS: '1500',
      SQS_VISIBILITY_TIMEOUT_SECONDS: '5',
      OUTBOX_LEASE_MS: '2000',
    });
    const target = api(ports);
    const first = await start();
    const tree = await processTree(first.child.pid ?? 0);
    expect(tree.length).toBeGreaterThan(5); // npm, sh, the stack, PostgreSQL's supervisor and server, two services
    const ids = await placeOrders(target, ORDERS);
    await waitFor(async () => (await statuses(target, ids)).includes('SHIPMENT_CREATED'), {
      timeoutMs: 30_000,
      description: 'label jobs running',
    });
    const before = await statuses(target, ids);
    expect(before.filter((status) => FINAL.has(status)).length).toBeLessThan(ORDERS);

    await killGroup(first);
    // Nothing of the killed stack lives on: the services exit with it, PostgreSQL's supervisor stops PostgreSQL.
    await waitFor(async () => (await Promise.all(tree.map(isRunning))).every((running) => !running), {
      timeoutMs: 30_000,
      description: 'every process of the killed stack gone',
    });
    for (const port of Object.values(ports)) expect(await listening(port)).toBe(false);

    const second = await start();
    expect(await expectEveryOrderSettled(target, ids)).toEqual(Array(ORDERS).fill('SHIPPED'));
    expectCleanStop(await ctrlC(second), second.output());
  });
});
