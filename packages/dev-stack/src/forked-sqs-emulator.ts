import { fork } from 'node:child_process';
import { childEntry } from './child-entry.js';
import type { ExitStatus } from './service-process.js';

/** An SQS emulator in a child process. */
export interface ForkedSqsEmulator {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** The emulator's process id (to pause it with SIGSTOP, for instance). */
  pid: number;
  /** Sends `signal` (e.g. SIGKILL) and resolves with how the process ended. */
  kill(signal: NodeJS.Signals): Promise<ExitStatus>;
  /** Stops the emulator and resolves when its process has exited. Idempotent. */
  stop(): Promise<void>;
}

/** Options of {@link startForkedSqsEmulator}. */
export interface ForkedSqsEmulatorOptions {
  /**
   * Keep queues and messages in SQLite under `dataDir` (dev-stack's durable fauxqs), on 127.0.0.1:`port`, so that a
   * killed emulator restarted on the same directory and port has every message it acknowledged. Default: in memory,
   * on a free port.
   */
  durable?: { dataDir: string; port: number };
}

/** The emulator's process failed to start. */
export class SqsEmulatorProcessError extends Error {
  readonly code = 'STACK_SQS_PROCESS_FAILED';
}

/**
 * Starts fauxqs on 127.0.0.1 in a child process of its own (the benchmarks use it, so the code they measure does not
 * share an event loop with the emulator; the chaos suite kills and restarts it). The process also exits when this
 * one dies.
 */
export async function startForkedSqsEmulator(options: ForkedSqsEmulatorOptions = {}): Promise<ForkedSqsEmulator> {
  const entry = childEntry('sqs-emulator-process');
  const args = options.durable ? [options.durable.dataDir, String(options.durable.port)] : [];
  const child = fork(entry.file, args, {
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
    pid: child.pid ?? 0,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    stop: () => {
      stopped ??= (async () => {
        if (child.connected) child.send('stop');
        await exited;
      })();
      return stopped;
    },
  };
}
