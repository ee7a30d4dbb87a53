import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@sqsref/sqs-transport/testing';

/** One JSON log line of a service. */
export type LogRecord = Record<string, unknown> & { msg?: string; level?: string; correlationId?: string };

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A service as a real child process: `node apps/<service>/dist/main.js` with the given environment. Its stdout
 * (pino JSON lines) is kept as records, its stderr as text. `start()` resolves when it logs where it listens.
 */
export class ServiceProcess {
  readonly logs: LogRecord[] = [];
  stderr = '';
  url = '';
  private child: ChildProcess | undefined;
  private exited: Promise<ExitStatus> | undefined;

  constructor(
    readonly name: 'order-service' | 'shipping-service',
    private env: Record<string, string>,
  ) {}

  get entry(): string {
    return fileURLToPath(new URL(`../../apps/${this.name}/dist/main.js`, import.meta.url));
  }

  /** Spawns the process; with `waitUntilListening` (default), resolves once it listens. */
  async start(options: { waitUntilListening?: boolean; timeoutMs?: number } = {}): Promise<void> {
    const child = spawn(process.execPath, [this.entry], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    let pending = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        try {
          this.logs.push(JSON.parse(line) as LogRecord);
        } catch {
          this.logs.push({ msg: line });
        }
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    if (options.waitUntilListening === false) return;
    const listening = await Promise.race([
      waitFor(() => this.logs.find((record) => record.msg === 'listening'), {
        timeoutMs: options.timeoutMs ?? 30_000,
        intervalMs: 20,
        description: `${this.name} listening`,
      }),
      this.exited.then((status) => {
        throw new Error(`${this.name} exited while starting (${JSON.stringify(status)}):\n${this.stderr}`);
      }),
    ]);
    this.url = String(listening.url);
  }

  /** Sends a signal and resolves with how the process ended. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<ExitStatus> {
    if (!this.child || !this.exited) return { code: null, signal: null };
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }

  /** Resolves when the process exits by itself. */
  waitForExit(): Promise<ExitStatus> {
    if (!this.exited) throw new Error(`${this.name} was not started`);
    return this.exited;
  }

  /** Kills and starts it again with the same environment (new logs are appended). */
  async restart(signal: NodeJS.Signals = 'SIGKILL'): Promise<ExitStatus> {
    const status = await this.stop(signal);
    await this.start();
    return status;
  }

  /** Log records with a given message. */
  logged(msg: string): LogRecord[] {
    return this.logs.filter((record) => record.msg === msg);
  }
}
