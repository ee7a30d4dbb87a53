import type { CliIo } from '../../src/cli/cli-io.js';

/** A CliIo that records what a command printed (for specs). */
export function recordingIo(
  env: Record<string, string | undefined> = {},
  cwd = process.cwd(),
): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, env, cwd, stdout: (text) => out.push(text), stderr: (text) => err.push(text) };
}
