import { expect } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * `npm start`'s embedded defaults (nothing from outside, whatever the caller's environment holds) with the
 * services made quick: short label jobs that never fail, short long polls, warnings only.
 */
export const EMBEDDED_FAST = {
  ORDER_DATABASE_URL: '',
  SHIPPING_DATABASE_URL: '',
  AWS_ENDPOINT_URL_SQS: '',
  LABEL_JOB_MS: '200',
  LABEL_FAILURE_RATE: '0',
  SQS_WAIT_TIME_SECONDS: '1',
  LOG_LEVEL: 'warn',
};

/** The checkout this suite runs from. */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Whether something accepts connections on 127.0.0.1:`port`. */
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

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** An npm command running as a newcomer runs it: its own process group, its output collected. */
export interface NpmRun {
  child: ChildProcess;
  output: () => string;
  /** How npm exited: npm re-raises the signal its script stopped on, so Ctrl-C ends it "by SIGINT". */
  exited: Promise<ExitStatus>;
}

/** `npm <args>` in `cwd` (default this checkout), in its own process group so SIGINT reaches it as Ctrl-C would. */
export function runNpm(args: string[], env: Record<string, string>, cwd = repoRoot): NpmRun {
  const child = spawn('npm', args, {
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

/** `npm start` with `env` (the stack's variables). */
export function npmStart(env: Record<string, string>, cwd = repoRoot): NpmRun {
  return runNpm(['start'], env, cwd);
}

/** Ctrl-C: SIGINT to the whole process group, then its exit. */
export async function ctrlC(run: NpmRun): Promise<ExitStatus> {
  if (run.child.pid && run.child.exitCode === null && run.child.signalCode === null) {
    process.kill(-run.child.pid, 'SIGINT');
  }
  return run.exited;
}

/** Free ports for every port `npm start` opens, as its environment variables. */
export async function stackPorts(): Promise<
  Record<'SQS_PORT' | 'STACK_PG_PORT' | 'ORDER_PORT' | 'SHIPPING_PORT', number>
> {
  return {
    SQS_PORT: await freePort(),
    STACK_PG_PORT: await freePort(),
    ORDER_PORT: await freePort(),
    SHIPPING_PORT: await freePort(),
  };
}

/** A clean Ctrl-C: the stack says it stopped, and npm ends with success or by the SIGINT it passes on. */
export function expectCleanStop(exit: ExitStatus, output: string): void {
  expect(exit.code === 0 || exit.signal === 'SIGINT').toBe(true);
  expect(output).toContain('[stack] stopped.');
}
