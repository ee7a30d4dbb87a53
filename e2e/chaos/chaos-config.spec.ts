import { describe, expect, it } from '@jest/globals';
import { ChaosConfigError, chaosConfig, DEFAULT_CHAOS_ORDERS } from './chaos-config.js';

describe('chaosConfig', () => {
  it('runs the CI size with a new seed by default, and replays a given seed', () => {
    expect(chaosConfig({}, () => 7)).toMatchObject({ seed: 7, orders: DEFAULT_CHAOS_ORDERS, windowMs: 45_000 });
    expect(chaosConfig({ CHAOS_SEED: '123', CHAOS_ORDERS: '5000' }, () => 7)).toMatchObject({
      seed: 123,
      orders: 5_000,
      windowMs: 750_000,
    });
    expect(chaosConfig({ CHAOS_ORDERS: '10' }).windowMs).toBe(20_000);
  });

  it('names the variable and its range when a value is not valid', () => {
    for (const env of [{ CHAOS_ORDERS: '0' }, { CHAOS_ORDERS: 'many' }, { CHAOS_SEED: '-1' }, { CHAOS_SEED: '1.5' }]) {
      expect(() => chaosConfig(env)).toThrow(ChaosConfigError);
    }
    expect(() => chaosConfig({ CHAOS_ORDERS: '0' })).toThrow('CHAOS_ORDERS must be an integer from 1 to 100000');
  });
});
