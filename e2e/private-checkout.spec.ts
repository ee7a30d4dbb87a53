// A newcomer who is root (a container, a CI runner) with the checkout in a folder nobody else may enter (mode 700:
// root's home, a `mktemp -d` folder). PostgreSQL refuses to run as root, so the embedded one runs as the
// "postgres" OS user, which cannot reach node_modules or .data there. This suite makes such a checkout (the tracked
// files as a fresh clone has them, node_modules as `npm ci` left it, nothing generated or built) and runs the
// README's flow in it: `npm start` ships an order, the embedded PostgreSQL test kit passes, and `npm run bench`
// builds and generates what it needs and runs (at a smoke size).
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { waitFor } from '@sqsref/sqs-transport/testing';
import type { StartedStack } from './support/npm-start.js';
import {
  ctrlC,
  expectCleanStop,
  freeStackPorts,
  npmStart,
  root,
  runNpm,
  stackEnv,
  waitUntilUp,
} from './support/npm-start.js';
import { newOrder } from './support/stack.js';
import { removePostgresData } from '@sqsref/dev-stack';

jest.setTimeout(600_000);
const asRoot = process.getuid?.() === 0;

/** The files git tracks (or would: new ones not ignored) as they are in the work tree, and node_modules hard-linked (fast; nothing writes into it). */
async function freshCheckoutIn(folder: string): Promise<string> {
  const checkout = join(folder, 'repo');
  const tracked = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file && existsSync(join(root, file)));
  for (const file of tracked) {
    await mkdir(dirname(join(checkout, file)), { recursive: true });
    await cp(join(root, file), join(checkout, file), { preserveTimestamps: true });
  }
  const installed = ['node_modules'];
  for (const parent of ['packages', 'apps']) {
    for (const name of await readdir(join(root, parent))) {
      if (existsSync(join(root, parent, name, 'node_modules'))) installed.push(join(parent, name, 'node_modules'));
    }
  }
  for (const dir of installed) execFileSync('cp', ['-al', join(root, dir), join(checkout, dir)]);
  return checkout;
}

async function finished(run: StartedStack): Promise<{ code: number | null; output: string }> {
  const { code } = await run.exited;
  return { code, output: run.output() };
}

(asRoot ? describe : describe.skip)('as root, from a checkout in a private (700) folder', () => {
  let folder: string;
  let checkout: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'private-checkout-'));
    await chmod(folder, 0o700);
    checkout = await freshCheckoutIn(folder);
    // Nothing from outside: the embedded defaults, data in the checkout's .data, as on a fresh machine.
    env = { ...stackEnv(await freeStackPorts(), join(checkout, '.data')), DATABASE_URL: '', LOG_LEVEL: 'warn' };
  });

  afterAll(async () => {
    await removePostgresData(join(checkout, '.data')); // it lives outside the checkout, see postgresDataDir
    await rm(folder, { recursive: true, force: true });
  });

  it('npm start brings the stack up and ships an order, and Ctrl-C stops it', async () => {
    const stack = npmStart(env, [], checkout);
    try {
      await waitUntilUp(stack);
      expect(stack.output()).not.toContain('EACCES');
      const orderUrl = `http://127.0.0.1:${env.ORDER_PORT}`;
      const created = await fetch(`${orderUrl}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(newOrder('private-folder')),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      await waitFor(
        async () =>
          ((await (await fetch(`${orderUrl}/orders/${id}`)).json()) as { status: string }).status === 'SHIPPED',
        { timeoutMs: 60_000, description: 'the order to ship' },
      );
    } finally {
      expectCleanStop(await ctrlC(stack), stack.output());
    }
  });

  it("the embedded PostgreSQL of the test kit starts there (npm test's suites that need it pass)", async () => {
    const result = await finished(
      runNpm(['test', '--', 'packages/sqs-prisma/src/testing/postgres.spec.ts'], env, checkout),
    );
    expect(result.output).toMatch(/^\d+ passed, 0 failed$/m);
    expect(result.code).toBe(0);
  });

  it('npm run bench builds and generates what it needs, then runs (smoke size)', async () => {
    const startedAt = Date.now();
    const result = await finished(
      runNpm(
        ['run', 'bench'],
        {
          ...env,
          BENCH_MESSAGES: '200',
          BENCH_DB_MESSAGES: '100',
          BENCH_ROUNDS: '1',
          BENCH_E2E_ORDERS: '10',
          BENCH_SOAK_MESSAGES: '50',
          RELAY_ROWS: '100',
          RELAY_HOT_ROWS: '100',
          RELAY_SLOW_HOT_ROWS: '20',
        },
        checkout,
      ),
    );
    expect(result.output).not.toContain('Cannot find module');
    expect(result.code).toBe(0);
    // The checkout has the committed results too: each file must be this run's.
    for (const name of ['consume', 'exactly-once', 'relay', 'tracing-overhead', 'system', 'memory']) {
      const written = JSON.parse(await readFile(join(checkout, 'bench', 'results', `${name}.json`), 'utf8')) as {
        ranAt: string;
      };
      expect(Date.parse(written.ranAt)).toBeGreaterThanOrEqual(startedAt);
    }
  });
});
