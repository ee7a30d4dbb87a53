import { describe, expect, it } from '@jest/globals';
import { InvalidOptionError } from '@sqsref/sqs-transport/common';
import { DEFAULT_QUEUES_FILE, readConsoleConfig } from './config.js';

describe('readConsoleConfig', () => {
  it('applies the defaults', () => {
    expect(readConsoleConfig({})).toEqual({
      port: 3002,
      host: '127.0.0.1',
      orderUrl: 'http://127.0.0.1:3000',
      shippingUrl: 'http://127.0.0.1:3001',
      queuesFile: DEFAULT_QUEUES_FILE,
      sampleMs: 5_000,
    });
    expect(DEFAULT_QUEUES_FILE).toMatch(/infra\/queues\.json$/);
  });

  it('names the variable and what it allows', () => {
    expect(() => readConsoleConfig({ PORT: '70000' })).toThrow(InvalidOptionError);
    expect(() => readConsoleConfig({ PORT: '70000' })).toThrow(/PORT.*0 to 65535/);
    expect(() => readConsoleConfig({ ORDER_URL: 'order:3000' })).toThrow(/ORDER_URL/);
    expect(() => readConsoleConfig({ HOST: 'localhost' })).toThrow(/HOST/);
  });
});
