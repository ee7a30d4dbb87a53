import type { ExitStatus, ServiceChild } from '@sqsref/dev-stack';
import type { ServiceName } from '@sqsref/dev-stack';
import { httpUrl, serviceEntry, spawnService } from '@sqsref/dev-stack';
import { freePort } from '@sqsref/sqs-transport/testing';

/** One JSON log line of a service. */
export type LogRecord = Record<string, unknown> & { msg?: string; level?: string; correlationId?: string };

/**
 * A service as a real child process (dev-stack's {@link spawnService}): `apps/<service>/dist/main.js` with exactly the
 * given environment (plus PATH and HOME). Its stdout (pino JSON lines) is kept as records, its stderr as text.
 * `start()` resolves when it answers `GET /ready`. `PORT: '0'` means a free port, picked at the first start and kept
 * across restarts.
 */
export class ServiceProcess {
  readonly logs: LogRecord[] = [];
  stderr = '';
  url = '';
  private running: ServiceChild | undefined;

  constructor(
    readonly name: ServiceName,
    private env: Record<string, string>,
  ) {}

  get entry(): string {
    return serviceEntry(this.name);
  }

  /** Spawns the process; with `waitUntilListening` (default), resolves once it is ready. */
  async start(options: { waitUntilListening?: boolean; timeoutMs?: number } = {}): Promise<void> {
    if (this.env.PORT === '0') this.env = { ...this.env, PORT: String(await freePort()) };
    this.url = httpUrl(this.env.HOST ?? '127.0.0.1', Number(this.env.PORT));
    const running = spawnService(
      { name: this.name, entry: this.entry, url: this.url, env: this.env, inheritEnv: false },
      (line, stream) => {
        if (stream === 'stderr') this.stderr += `${line}\n`;
        else if (line.trim()) this.logs.push(parseLogLine(line));
      },
    );
    this.running = running;
    if (options.waitUntilListening === false) return;
    try {
      await running.ready(options.timeoutMs ?? 30_000);
    } catch (error) {
      throw new Error(`${this.name} did not start: ${String(error)}\n${this.stderr}`, { cause: error });
    }
  }

  /** Sends a signal and resolves with how the process ended. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<ExitStatus> {
    return this.running ? this.running.kill(signal) : { code: null, signal: null };
  }

  /** Resolves when the process exits by itself. */
  waitForExit(): Promise<ExitStatus> {
    if (!this.running) throw new Error(`${this.name} was not started`);
    return this.running.exited;
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

function parseLogLine(line: string): LogRecord {
  try {
    return JSON.parse(line) as LogRecord;
  } catch {
    return { msg: line };
  }
}
