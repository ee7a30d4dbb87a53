import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { childEntry } from './child-entry.js';

export interface ServiceSpec {
  /** Short name, used as the log prefix. */
  name: string;
  /** The built entry point, e.g. `apps/order-service/dist/main.js`. */
  entry: string;
  /** Base URL of its HTTP API. */
  url: string;
  env: Record<string, string>;
}

/** A service running as a child process of the stack (not service-kit's in-process `RunningService`). */
export interface ServiceChild {
  spec: ServiceSpec;
  child: ChildProcess;
  /** Resolves when `GET /ready` answers 200; rejects when the process exits first or `timeoutMs` passes. */
  ready(timeoutMs: number): Promise<void>;
  /** SIGTERM (graceful shutdown), then SIGKILL after `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

/**
 * Runs a service as a child process in its own process group (so Ctrl-C
 * reaches the stack, which stops services in order) that exits when the
 * stack's process dies (`exit-with-parent`); each line it prints goes to
 * `onLine`.
 */
export function spawnService(spec: ServiceSpec, onLine: (line: string) => void): ServiceChild {
  const guard = childEntry('exit-with-parent');
  const child = spawn(
    process.execPath,
    ['--enable-source-maps', ...guard.execArgv, '--import', pathToFileURL(guard.file).href, spec.entry],
    {
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: true,
    },
  );
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', onLine);
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    spec,
    child,
    ready: async (timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(
            `${spec.name} exited (${child.exitCode ?? child.signalCode}) before it was ready; see its log above.`,
          );
        }
        const ok = await fetch(`${spec.url}/ready`).then(
          (response) => response.ok,
          () => false,
        );
        if (ok) return;
        if (Date.now() > deadline)
          throw new Error(`${spec.name} was not ready at ${spec.url}/ready within ${timeoutMs} ms.`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    stop: async (graceMs) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
