import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const register = fileURLToPath(new URL('../../../../tooling/ts-loader/register.mjs', import.meta.url));

export interface Child<TMessage> {
  process: ChildProcess;
  messages: TMessage[];
  /** Resolves with the first message matching `predicate` (past or future), or rejects after `timeoutMs`. */
  waitForMessage(predicate: (message: TMessage) => boolean, timeoutMs?: number): Promise<TMessage>;
  /** Resolves with the exit code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs a TypeScript file of this repo in a child process with IPC, compiled on the fly (see tooling/ts-loader). */
export function runTsChild<TMessage>(file: URL, env: Record<string, string>): Child<TMessage> {
  const child = fork(fileURLToPath(file), [], {
    execArgv: ['--import', register, '--no-warnings'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const messages: TMessage[] = [];
  const listeners = new Set<() => void>();
  child.on('message', (message) => {
    messages.push(message as TMessage);
    for (const listener of listeners) listener();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
      for (const listener of listeners) listener();
    });
  });
  return {
    process: child,
    messages,
    exited,
    waitForMessage: (predicate, timeoutMs = 30_000) =>
      new Promise<TMessage>((resolve, reject) => {
        const check = (): void => {
          const found = messages.find(predicate);
          if (found !== undefined) {
            cleanup();
            resolve(found);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            cleanup();
            reject(new Error(`child exited (${child.exitCode ?? child.signalCode}) before the awaited message`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`child: awaited message not seen within ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
  };
}
