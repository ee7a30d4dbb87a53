import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const register = fileURLToPath(new URL('../../../../tooling/ts-loader/register.mjs', import.meta.url));
const bin = fileURLToPath(new URL('../../src/bin/sqs-dlq.ts', import.meta.url));

export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  /** Complete stdout lines so far. */
  stdoutLines: string[];
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the `sqs-dlq` command (its TypeScript source, compiled on the fly) as a real process. */
export function runDlqProcess(args: readonly string[], env: Record<string, string | undefined> = {}): CliProcess {
  const child = spawn(process.execPath, ['--import', register, '--no-warnings', bin, ...args], {
    env: { ...process.env, ...env },
  });
  const stdoutLines: string[] = [];
  let pending = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    stdoutLines.push(...lines);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdoutLines, stderr: () => stderr, exited };
}
