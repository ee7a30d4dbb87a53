import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { QUEUES } from './queues.js';

// infra/queues.json is the one definition of every queue: each logical name used in code must be defined there,
// FIFO with a DLQ (so a message that keeps failing is parked, never dropped).
const definitions = JSON.parse(readFileSync(new URL('../../../infra/queues.json', import.meta.url), 'utf8')) as {
  queues: Array<{ name: string; deadLetter?: { name: string } }>;
};

describe('QUEUES', () => {
  it.each(Object.values(QUEUES))('%s is defined in infra/queues.json, with a DLQ', (name) => {
    const definition = definitions.queues.find((queue) => queue.name === name);
    expect(definition).toBeDefined();
    expect(definition?.deadLetter?.name).toMatch(/\.fifo$/);
  });
});
