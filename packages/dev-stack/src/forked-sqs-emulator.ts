import { fork } from 'node:child_process';
import { childEntry } from './child-entry.js';
import type { ExitStatus } from './service-process.js';

/** An in-memory SQS emulator in a child process. */
export interface ForkedSqsEmulator {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** Stops the emulator and resolves when its process has exited. Idempotent. */
  stop(): Promise<void>;
}

/** The emulator's process failed to start. */
export class SqsEmulatorProcessError extends Error {
  readonly code = 'STACK_SQS_PROCESS_FAILED';
}

/**
 * Starts fauxqs in memory on a free port of 127.0.0.1 in a child process of its own (the benchmarks use it, so the
 * code they measure does not share an event loop with the emulator). The process also exits when this one dies.
 */
export async function startForkedSqsEmulator(): Promise<ForkedSqsEmulator> {
  const entry = childEntry('sqs-emulator-process');
  const child = fork(entry.file, [], {
    execArgv: [...entry.execArgv, '--disable-warning=ExperimentalWarning'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<ExitStatus>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { ready?: string; error?: string }) => {
      if (message.ready) resolve(message.ready);
      else reject(new SqsEmulatorProcessError(`The SQS emulator did not start: ${message.error ?? 'unknown error'}.`));
    });
    void exited.then((status) =>
      reject(
        new SqsEmulatorProcessError(`The SQS emulator's process exited during start (${JSON.stringify(status)}).`),
      ),
    );
  });
  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    stop: () => {
      stopped ??= (async () => {
        if (child.connected) child.send('stop');
        await exited;
      })();
      return stopped;
    },
  };
}
