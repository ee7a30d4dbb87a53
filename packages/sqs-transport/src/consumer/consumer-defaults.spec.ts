import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OptionRange } from '../validate.js';
import { CONSUMER_OPTION_RANGES } from './consumer-defaults.js';
import { resolveConsumerOptions } from './consumer-options.js';
import { RetryPolicy } from './retry-policy.js';

const R = CONSUMER_OPTION_RANGES;

/** The default column of the README's consumer options table, by option name. */
function readmeDefaults(): Map<string, string> {
  const readme = readFileSync(fileURLToPath(new URL('../../../../README.md', import.meta.url)), 'utf8');
  const table = readme.slice(readme.indexOf('### Consumer options'));
  const rows = new Map<string, string>();
  for (const line of table.split('\n').slice(1)) {
    if (line.startsWith('###')) break;
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length >= 4 && cells[1]?.startsWith('`')) rows.set(cells[1], cells[2] ?? '');
  }
  return rows;
}

describe('consumer option defaults, defined once', () => {
  it('are what the consumer applies when an option is left out', () => {
    const resolved = resolveConsumerOptions({ queues: [{ url: 'http://127.0.0.1:4566/000000000000/q' }] });
    expect(resolved).toMatchObject({
      concurrency: R.concurrency.default,
      prefetch: R.prefetch.default,
      maxProcessingMs: R.maxProcessingMs.default,
      shutdownTimeoutMs: R.shutdownTimeoutMs.default,
      ackFlushIntervalMs: R.ackFlushIntervalMs.default,
      ackMaxAttempts: R.ackMaxAttempts.default,
      heartbeatIntervalMs: undefined,
      queues: [
        { pollers: R.pollers.default, waitTimeSeconds: R.waitTimeSeconds.default, visibilityTimeoutSeconds: undefined },
      ],
    });
    expect(new RetryPolicy()).toMatchObject({
      baseDelaySeconds: R.retryBaseDelaySeconds.default,
      maxDelaySeconds: R.retryMaxDelaySeconds.default,
      jitter: R.retryJitter.default,
    });
  });

  it("are the README's consumer options table", () => {
    const rows = readmeDefaults();
    expect(rows.get('`concurrency`')).toBe(String(R.concurrency.default));
    expect(rows.get('`prefetch`')).toBe(String(R.prefetch.default));
    expect(rows.get('`maxProcessingMs`')).toBe(String(R.maxProcessingMs.default));
    expect(rows.get('`shutdownTimeoutMs`')).toBe(String(R.shutdownTimeoutMs.default));
    expect(rows.get('`ackFlushIntervalMs`, `ackMaxAttempts`')).toBe(
      `${R.ackFlushIntervalMs.default}, ${R.ackMaxAttempts.default}`,
    );
    expect(rows.get('`retry`')).toBe(
      `\`{ baseDelaySeconds: ${R.retryBaseDelaySeconds.default}, maxDelaySeconds: ${R.retryMaxDelaySeconds.default}, jitter: ${R.retryJitter.default} }\``,
    );
    const queues = readFileSync(fileURLToPath(new URL('../../../../README.md', import.meta.url)), 'utf8');
    expect(queues).toContain(`\`pollers\` (${R.pollers.default}), \`waitTimeSeconds\` (${R.waitTimeSeconds.default})`);
  });

  it('each range holds its default', () => {
    for (const [name, range] of Object.entries(R)) {
      expect({ name, ok: range.min <= range.max }).toEqual({ name, ok: true });
      if ('default' in range)
        expect({ name, ok: range.min <= range.default && range.default <= range.max }).toEqual({ name, ok: true });
    }
  });
});

/** Option names as the docs write them, to their entry in CONSUMER_OPTION_RANGES. */
function rangeName(documented: string): keyof typeof R | undefined {
  const name = documented.replace(/^queues\[\]\./, '');
  const retry: Record<string, keyof typeof R> = {
    'retry.baseDelaySeconds': 'retryBaseDelaySeconds',
    'retry.maxDelaySeconds': 'retryMaxDelaySeconds',
    'retry.jitter': 'retryJitter',
  };
  if (name in retry) return retry[name];
  return name in R ? (name as keyof typeof R) : undefined;
}

const number = (text: string): number => Number(text.replaceAll(',', ''));

describe('the pattern pages in docs/', () => {
  it('give each consumer option the default and range of its one definition', () => {
    const docs = fileURLToPath(new URL('../../../../docs/', import.meta.url));
    let checked = 0;
    for (const file of readdirSync(docs).filter((name) => name.endsWith('.md'))) {
      for (const line of readFileSync(`${docs}${file}`, 'utf8').split('\n')) {
        const cells = line.split('|').map((cell) => cell.trim());
        const documented = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1];
        const name = documented === undefined ? undefined : rangeName(documented);
        if (!name) continue;
        const range: OptionRange = R[name];
        const where = `${file}: ${documented}`;
        if (/^[\d.,]+$/.test(cells[2] ?? '')) {
          expect({ where, default: number(cells[2] ?? '') }).toEqual({ where, default: range.default });
        }
        const bounds = /^([\d.,]+)–([\d.,]+)/.exec(cells[3] ?? '');
        if (bounds) {
          expect({ where, min: number(bounds[1] ?? ''), max: number(bounds[2] ?? '') }).toEqual({
            where,
            min: range.min,
            max: range.max,
          });
        }
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(12);
  });
});
