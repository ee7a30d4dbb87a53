import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { EVENTS } from './registry.js';
import { QUEUES, SERVICE_QUEUES } from './queues.js';

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

describe('SERVICE_QUEUES', () => {
  const services = Object.values(SERVICE_QUEUES);

  it.each(Object.values(QUEUES))('%s has exactly one consuming service', (name) => {
    expect(services.filter((service) => (service.consumes as readonly string[]).includes(name))).toHaveLength(1);
  });

  it("sends each event type's queue from some service", () => {
    const produced = new Set(services.flatMap((service) => service.produces));
    for (const { queue } of Object.values(EVENTS)) expect(produced).toContain(queue);
  });
});
