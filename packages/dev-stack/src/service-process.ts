import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { asyncContextFrameFlags } from './async-context-frame.js';
import { childEntry } from './child-entry.js';

export interface ServiceSpec {
  /** Short name, used as the log prefix. */
  name: string;
  /** The built entry point, e.g. `apps/order-service/dist/main.js`. */
  entry: string;
  /** Base URL of its HTTP API. */
  url: string;
  env: Record<string, string>;
  /**
   * Whether the service gets this process's environment under `env`. Default true (npm start); false gives it only
   * `PATH`, `HOME` and `env`, so a test controls every variable.
   */
  inheritEnv?: boolean;
}

/** How a child process ended: its exit code, or the signal that ended it. */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Which of a child's output streams a line came from. */
export type OutputStream = 'stdout' | 'stderr';

/** A service running as a child process of the stack (not service-kit's in-process `RunningService`). */
export interface ServiceChild {
  spec: ServiceSpec;
  child: ChildProcess;
  /** Resolves with how the process ended, once it has. */
  exited: Promise<ExitStatus>;
  /** Resolves when `GET /ready` answers 200; rejects when the process exits first or `timeoutMs` passes. */
  ready(timeoutMs: number): Promise<void>;
  /** Sends `signal` unless the process has ended; resolves with how it ended. */
  kill(signal: NodeJS.Signals): Promise<ExitStatus>;
  /** SIGTERM (graceful shutdown), then SIGKILL after `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

/** A service that ended before it answered `/ready`. */
export class ServiceExitedError extends Error {
  readonly code = 'STACK_SERVICE_EXITED';
}

/** A service that did not answer `/ready` in time. */
export class ServiceNotReadyError extends Error {
  readonly code = 'STACK_SERVICE_NOT_READY';
}

/** How often {@link ServiceChild.ready} asks `GET /ready`. */
const READY_POLL_MS = 200;

/**
 * Runs a service as a child process in its own process group (so Ctrl-C
 * reaches the stack, which stops services in order) that exits when the
 * stack's process dies (`exit-with-parent`); each line it prints goes to
 * `onLine`, with the stream it came from. On Node 22 and 23 it runs with async context frames
 * ({@link asyncContextFrameFlags}), as Node 24 does by default: tracing's context manager then costs no promise hooks.
 */
export function spawnService(spec: ServiceSpec, onLine: (line: string, stream: OutputStream) => void): ServiceChild {
  const guard = childEntry('exit-with-parent');
  const base = spec.inheritEnv === false ? { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } : process.env;
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      ...asyncContextFrameFlags(),
      ...guard.execArgv,
      '--import',
      pathToFileURL(guard.file).href,
      spec.entry,
    ],
    {
      env: { ...base, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: true,
    },
  );
  if (child.stdout) createInterface({ input: child.stdout }).on('line', (line) => onLine(line, 'stdout'));
  if (child.stderr) createInterface({ input: child.stderr }).on('line', (line) => onLine(line, 'stderr'));
  const exited = new Promise<ExitStatus>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ended = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const kill = (signal: NodeJS.Signals): Promise<ExitStatus> => {
    if (!ended()) child.kill(signal);
    return exited;
  };
  return {
    spec,
    child,
    exited,
    kill,
    ready: async (timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (ended()) {
          throw new ServiceExitedError(
            `${spec.name} exited (${child.exitCode ?? child.signalCode}) before it was ready; see its log above.`,
          );
        }
        const ok = await fetch(`${spec.url}/ready`).then(
          (response) => response.ok,
          () => false,
        );
        if (ok) return;
        if (Date.now() > deadline)
          throw new ServiceNotReadyError(`${spec.name} was not ready at ${spec.url}/ready within ${timeoutMs} ms.`);
        await delay(READY_POLL_MS);
      }
    },
    stop: async (graceMs) => {
      if (ended()) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await kill('SIGTERM');
      clearTimeout(timer);
    },
  };
}
