import { afterAll, describe, expect, it, jest } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@sqsref/sqs-transport/testing';

jest.setTimeout(240_000);
const root = fileURLToPath(new URL('..', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

interface StartedStack {
  child: ChildProcess;
  output: () => string;
  /** How npm exited: npm re-raises the signal its script stopped on, so Ctrl-C ends it "by SIGINT". */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm start` as a newcomer runs it, in its own process group so SIGINT reaches it as Ctrl-C would. */
function npmStart(env: Record<string, string>): StartedStack {
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

async function ctrlC(stack: StartedStack): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (stack.child.pid && stack.child.exitCode === null && stack.child.signalCode === null) {
    process.kill(-stack.child.pid, 'SIGINT');
  }
  return stack.exited;
}

/** A clean Ctrl-C: the stack says it stopped, and npm ends with success or by the SIGINT it passes on. */
function expectCleanStop(exit: { code: number | null; signal: NodeJS.Signals | null }, output: string): void {
  expect(exit.code === 0 || exit.signal === 'SIGINT').toBe(true);
  expect(output).toContain('[stack] stopped.');
}

describe('npm start: the embedded stack', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('brings up a stack that ships an order placed over HTTP, stops on SIGINT leaving nothing behind, and keeps the orders across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'npm-start-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const ports = {
      SQS_PORT: await freePort(),
      STACK_PG_PORT: await freePort(),
      ORDER_PORT: await freePort(),
      SHIPPING_PORT: await freePort(),
    };
    const env = {
      ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
      STACK_DATA_DIR: dataDir,
      ORDER_DATABASE_URL: '',
      SHIPPING_DATABASE_URL: '',
      AWS_ENDPOINT_URL_SQS: '',
      LABEL_JOB_MS: '200',
      LABEL_FAILURE_RATE: '0',
      SQS_WAIT_TIME_SECONDS: '1',
      LOG_LEVEL: 'warn',
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
