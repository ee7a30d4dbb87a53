import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OutboxStore } from '../outbox.js';
import { FakeSqsClient } from '../testing/fake-sqs-client.js';
import type { OutboxRelayOptions } from './relay.js';
import { OutboxRelay } from './relay.js';
import { RELAY_OPTION_RANGES as R } from './relay-defaults.js';

const store: OutboxStore = {
  claim: () => Promise.resolve([]),
  markSent: () => Promise.resolve(),
  markFailed: () => Promise.resolve(),
  deleteSentBefore: () => Promise.resolve(0),
  waitForChanges: () => Promise.resolve(),
} as unknown as OutboxStore;

const format = (value: number): string => value.toLocaleString('en-US');

/** docs/outbox.md's relay options table: the default column by option cell. */
function docsDefaults(): Map<string, string> {
  const page = readFileSync(fileURLToPath(new URL('../../../../docs/outbox.md', import.meta.url)), 'utf8');
  const rows = new Map<string, string>();
  for (const line of page.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length >= 4 && cells[1]?.startsWith('`')) rows.set(cells[1], cells[2] ?? '');
  }
  return rows;
}

describe('outbox relay option defaults, defined once', () => {
  const relay = (options: Partial<OutboxRelayOptions>) =>
    new OutboxRelay({ store, client: new FakeSqsClient().asClient(), ...options });

  it.each(Object.entries(R))('the relay checks %s against its range', (name, range) => {
    expect(() => relay({ [name]: range.min })).not.toThrow();
    expect(() => relay({ [name]: range.max })).not.toThrow();
    expect(() => relay({ [name]: range.max + 1 })).toThrow(`Invalid option "${name}"`);
    expect(() => relay({ [name]: range.min - 1 })).toThrow(`from ${range.min} to ${range.max}`);
  });

  it("are docs/outbox.md's relay options table", () => {
    const rows = docsDefaults();
    expect(rows.get('`batchSize`')).toBe(format(R.batchSize.default));
    expect(rows.get('`maxPerGroup`')).toBe(format(R.maxPerGroup.default));
    expect(rows.get('`leaseMs`')).toBe(format(R.leaseMs.default));
    expect(rows.get('`idleWaitMs`')).toBe(format(R.idleWaitMs.default));
    expect(rows.get('`retryBaseDelayMs`, `retryMaxDelayMs`')).toBe(
      `${format(R.retryBaseDelayMs.default)}, ${format(R.retryMaxDelayMs.default)}`,
    );
    expect(rows.get('`maxAttempts`')).toBe(format(R.maxAttempts.default));
    expect(rows.get('`sentRetentionMs`, `cleanupIntervalMs`')).toBe(
      `${format(R.sentRetentionMs.default)} (1 day), ${format(R.cleanupIntervalMs.default)}`,
    );
  });
});
