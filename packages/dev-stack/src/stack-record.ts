import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { isProcessAlive } from './process-alive.js';

/** What a running `npm start` records in its data directory, so that `npm run demo` finds it on any ports. */
export interface StackRecord {
  /** The stack's process; a record whose process is gone (a killed stack) is ignored. */
  pid: number;
  orderUrl: string;
  shippingUrl: string;
  sqsEndpoint: string;
}

/** The record's file name in the stack's data directory (`STACK_DATA_DIR`). */
export const STACK_RECORD_FILE = 'stack.json';

const recordSchema = z.object({
  pid: z.number().int().positive(),
  orderUrl: z.url(),
  shippingUrl: z.url(),
  sqsEndpoint: z.url(),
});

export async function writeStackRecord(dataDir: string, record: StackRecord): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  await writeFile(join(dataDir, STACK_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** The record of the stack running on `dataDir`; undefined when there is none, it is unreadable or its process is gone. */
export async function readStackRecord(dataDir: string): Promise<StackRecord | undefined> {
  const parsed = recordSchema.safeParse(await readJson(join(dataDir, STACK_RECORD_FILE)));
  return parsed.success && isProcessAlive(parsed.data.pid) ? parsed.data : undefined;
}

/** Removes the record if it is this process's (a newer stack may have written its own). */
export async function removeStackRecord(dataDir: string): Promise<void> {
  const file = join(dataDir, STACK_RECORD_FILE);
  const record = (await readJson(file)) as { pid?: unknown } | undefined;
  if (record?.pid === process.pid) await rm(file, { force: true });
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    return undefined; // missing or not JSON: no record
  }
}
