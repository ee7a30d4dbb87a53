import { join } from 'node:path';
import { httpUrl } from '../bind-host.js';
import { readStackConfig } from '../config.js';
import { readStackRecord, STACK_RECORD_FILE } from '../stack-record.js';

/** Where the demo finds the stack, and how it found it (for its messages). */
export interface DemoTarget {
  orderUrl: string;
  shippingUrl: string;
  sqsEndpoint: string;
  /** e.g. `recorded by npm start in .data/stack.json`, `ORDER_PORT=3100`, or `the default port; ...`. */
  source: string;
}

/**
 * Finds the stack the way `npm start` sets it up: the URLs a running `npm start` recorded in its data directory
 * (`STACK_DATA_DIR`, default `.data`), else the URLs the same variables give (`ORDER_PORT`, `SHIPPING_PORT`,
 * `SQS_PORT` or `AWS_ENDPOINT_URL_SQS`, `STACK_BIND_HOST`). Throws `StackConfigError` for a variable it cannot use.
 */
export async function findDemoTarget(env: NodeJS.ProcessEnv, repoRoot: string): Promise<DemoTarget> {
  const config = readStackConfig(env, repoRoot);
  const record = await readStackRecord(config.dataDir);
  if (record) {
    return {
      orderUrl: record.orderUrl,
      shippingUrl: record.shippingUrl,
      sqsEndpoint: record.sqsEndpoint,
      source: `recorded by npm start in ${join(config.dataDir, STACK_RECORD_FILE)}`,
    };
  }
  const file = join(config.dataDir, STACK_RECORD_FILE);
  return {
    orderUrl: httpUrl(config.bindHost, config.orderPort),
    shippingUrl: httpUrl(config.bindHost, config.shippingPort),
    sqsEndpoint: config.sqsEndpoint ?? httpUrl(config.bindHost, config.sqsPort),
    source: env.ORDER_PORT?.trim()
      ? `ORDER_PORT=${config.orderPort}`
      : `the default port; no running npm start recorded in ${file}`,
  };
}

/** No stack answers where the demo looked; the message says what to run. */
export class NoStackError extends Error {
  readonly code = 'DEMO_NO_STACK';
}

/** Resolves when the order service answers `GET /health`; else throws {@link NoStackError}. */
export async function expectStack(target: DemoTarget, timeoutMs = 3_000): Promise<void> {
  const answered = await fetch(`${target.orderUrl}/health`, { signal: AbortSignal.timeout(timeoutMs) }).then(
    (response) => response.ok,
    () => false,
  );
  if (!answered) {
    throw new NoStackError(
      `No stack answers at ${target.orderUrl} (${target.source}). Start it with "npm start" in another terminal, then run "npm run demo" again.`,
    );
  }
}
