import { fileURLToPath } from 'node:url';
import { integerOption, InvalidOptionError, urlOption } from '@sqsref/sqs-transport/common';
import { isIP } from 'node:net';

/** What the console reads from its environment; every variable is optional. */
export interface ConsoleConfig {
  /** HTTP port. `PORT`, default 3002 (order 3000, shipping 3001). */
  port: number;
  /** Listen address. `HOST`, an IP address, default `127.0.0.1` (this machine only: the console can redrive). */
  host: string;
  /** The order service's base URL. `ORDER_URL`, default `http://127.0.0.1:3000`. */
  orderUrl: string;
  /** The shipping service's base URL. `SHIPPING_URL`, default `http://127.0.0.1:3001`. */
  shippingUrl: string;
  /** The queue definitions shown. `QUEUES_FILE`, default the repository's `infra/queues.json`. */
  queuesFile: string;
  /** How often the charts sample the services' metrics and the orders, in ms. `CONSOLE_SAMPLE_MS`, default 5000 (1000-60000). */
  sampleMs: number;
}

/** `infra/queues.json` seen from src/ and dist/ alike (the image keeps the same layout). */
export const DEFAULT_QUEUES_FILE = fileURLToPath(new URL('../../../infra/queues.json', import.meta.url));

/** Reads and validates the console's environment; an invalid variable throws {@link InvalidOptionError} naming it. */
export function readConsoleConfig(env: NodeJS.ProcessEnv): ConsoleConfig {
  const value = (name: string): string | undefined => (env[name]?.trim() ? env[name]?.trim() : undefined);
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = value(name);
    return integerOption(name, raw === undefined ? undefined : Number(raw), fallback, min, max);
  };
  const host = value('HOST') ?? '127.0.0.1';
  if (isIP(host) === 0)
    throw new InvalidOptionError('HOST', 'must be an IP address such as 127.0.0.1 or 0.0.0.0', host);
  return {
    port: integer('PORT', 3002, 0, 65_535),
    host,
    orderUrl: urlOption('ORDER_URL', value('ORDER_URL') ?? 'http://127.0.0.1:3000').replace(/\/+$/, ''),
    shippingUrl: urlOption('SHIPPING_URL', value('SHIPPING_URL') ?? 'http://127.0.0.1:3001').replace(/\/+$/, ''),
    queuesFile: value('QUEUES_FILE') ?? DEFAULT_QUEUES_FILE,
    sampleMs: integer('CONSOLE_SAMPLE_MS', 5_000, 1_000, 60_000),
  };
}
