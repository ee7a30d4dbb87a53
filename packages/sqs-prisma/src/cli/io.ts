import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { errorMessage, SqsPrismaError } from '../errors.js';

/** Where a command line tool writes, and the environment it reads. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** The working directory that relative defaults resolve against. */
  cwd: string;
}

/** The process's streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Exit codes shared by the tools. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Prints an error with its code and returns the failure exit code. */
export function reportError(io: CliIo, error: unknown): number {
  const code = error instanceof SqsPrismaError ? error.code : ((error as { code?: unknown })?.code ?? 'UNKNOWN');
  io.stderr(`error [${String(code)}]: ${errorMessage(error)}`);
  return EXIT_FAILED;
}

/** The first of `candidates` (relative to cwd) that exists, or the first one. */
export function defaultPath(io: CliIo, ...candidates: string[]): string {
  const absolute = candidates.map((candidate) => resolve(io.cwd, candidate));
  return absolute.find((path) => existsSync(path)) ?? (absolute[0] as string);
}
