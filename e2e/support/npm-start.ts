import { expect } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ExitStatus } from '@sqsref/dev-stack';
import { freePort, waitFor } from '@sqsref/sqs-transport/testing';

/** The repository's root, where `npm start` runs. */
export const root = fileURLToPath(new URL('../..', import.meta.url));

/** True when something accepts connections on 127.0.0.1:`port`. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface StartedStack {
  child: ChildProcess;
  output: () => string;
  /** How npm exited: npm re-raises the signal its script stopped on, so Ctrl-C ends it "by SIGINT". */
  exited: Promise<ExitStatus>;
}

/** The ports of one stack, as `npm start`'s variables. */
export interface StackPorts {
  SQS_PORT: number;
  STACK_PG_PORT: number;
  ORDER_PORT: number;
  SHIPPING_PORT: number;
  CONSOLE_PORT: number;
}

/** Free ports for every server of a stack. */
export async function freeStackPorts(): Promise<StackPorts> {
  return {
    SQS_PORT: await freePort(),
    STACK_PG_PORT: await freePort(),
    ORDER_PORT: await freePort(),
    SHIPPING_PORT: await freePort(),
    CONSOLE_PORT: await freePort(),
  };
}

/**
 * The environment of an embedded stack on `ports` with its data in `dataDir`: nothing external, a fast simulated
 * carrier that never fails, short long-polls; `extra` adds or overrides service variables.
 */
export function stackEnv(
  ports: StackPorts,
  dataDir: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
    STACK_DATA_DIR: dataDir,
    ORDER_DATABASE_URL: '',
    SHIPPING_DATABASE_URL: '',
    AWS_ENDPOINT_URL_SQS: '',
    STACK_BIND_HOST: '',
    LABEL_JOB_MS: '200',
    LABEL_FAILURE_RATE: '0',
    SQS_WAIT_TIME_SECONDS: '1',
    ...extra,
  };
}

/** `npm <args>` in `cwd` (default this checkout), in its own process group so SIGINT reaches it as Ctrl-C would. */
export function runNpm(args: readonly string[], env: Record<string, string>, cwd = root): StartedStack {
  const child = spawn('npm', [...args], {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<ExitStatus>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

/** `npm start` as a newcomer runs it, with `args` after `--`, in `cwd` (default this checkout). */
export function npmStart(env: Record<string, string>, args: readonly string[] = [], cwd = root): StartedStack {
  return runNpm(['start', ...(args.length > 0 ? ['--', ...args] : [])], env, cwd);
}

/** Waits until the stack reports itself up; fails with its output when it exits first. */
export async function waitUntilUp(
  stack: StartedStack,
  description = 'npm start to report the stack up',
): Promise<void> {
  await waitFor(() => stack.output().includes('The stack is up.') || stack.child.exitCode !== null, {
    timeoutMs: 180_000,
    description,
  });
  if (!stack.output().includes('The stack is up.')) {
    throw new Error(`npm start ended before the stack was up:\n${stack.output()}`);
  }
}

/** Ctrl-C: SIGINT to npm start's process group, as a terminal sends it. */
export async function ctrlC(stack: StartedStack): Promise<ExitStatus> {
  return signalGroup(stack, 'SIGINT');
}

/** An unclean stop: SIGKILL to npm start's whole process group. */
export async function killGroup(stack: StartedStack): Promise<ExitStatus> {
  return signalGroup(stack, 'SIGKILL');
}

async function signalGroup(stack: StartedStack, signal: NodeJS.Signals): Promise<ExitStatus> {
  if (stack.child.pid && stack.child.exitCode === null && stack.child.signalCode === null) {
    try {
      process.kill(-stack.child.pid, signal);
    } catch {
      // the group is gone already
    }
  }
  return stack.exited;
}

/** A clean Ctrl-C: the stack says it stopped, and npm ends with success or by the SIGINT it passes on. */
export function expectCleanStop(exit: ExitStatus, output: string): void {
  expect(exit.code === 0 || exit.signal === 'SIGINT').toBe(true);
  expect(output).toContain('[stack] stopped.');
}

/** Runs `npm run demo` with `env` and `args`; resolves with its exit code and output. */
export async function npmRunDemo(
  env: Record<string, string>,
  args: readonly string[] = [],
): Promise<{ code: number | null; output: string }> {
  const demo = runNpm(['run', 'demo', ...(args.length > 0 ? ['--', ...args] : [])], env);
  const { code } = await demo.exited;
  return { code, output: demo.output() };
}
