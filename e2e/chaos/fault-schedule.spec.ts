import { describe, expect, it } from '@jest/globals';
import { seededRandom } from '@sqsref/sqs-transport/testing';
import type { ScheduleOptions } from './fault-schedule.js';
import { describeFault, FAULT_KINDS, planFaults } from './fault-schedule.js';

const options: ScheduleOptions = {
  windowMs: 30_000,
  meanGapMs: 2_500,
  replicas: { 'order-service': 2, 'shipping-service': 3 },
};

describe('planFaults', () => {
  it('replays the same schedule for the same seed, and another for another seed', () => {
    expect(planFaults(seededRandom(1), options)).toEqual(planFaults(seededRandom(1), options));
    expect(planFaults(seededRandom(2), options)).not.toEqual(planFaults(seededRandom(1), options));
  });

  it('strikes with every kind at least once, in time order, within the first 90 % of the window', () => {
    const plan = planFaults(seededRandom(3), { ...options, windowMs: 1_000 });
    expect(new Set(plan.map((entry) => entry.fault.kind))).toEqual(new Set(FAULT_KINDS));
    const long = planFaults(seededRandom(3), options);
    expect(long).toHaveLength(12);
    const times = long.map((entry) => entry.atMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.max(...times)).toBeLessThan(27_000);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(0);
  });

  it('kills only replicas that exist, and describes each fault', () => {
    const plan = planFaults(seededRandom(4), { ...options, windowMs: 600_000 });
    for (const { fault } of plan) {
      if (fault.kind === 'kill-service') {
        expect(fault.replica.index).toBeLessThan(options.replicas[fault.replica.service]);
        expect(fault.replica.index).toBeGreaterThanOrEqual(0);
      }
      expect(describeFault(fault)).not.toBe('');
    }
    const killed = new Set(
      plan.flatMap(({ fault }) =>
        fault.kind === 'kill-service' ? [`${fault.replica.service}#${fault.replica.index}`] : [],
      ),
    );
    expect(killed.size).toBe(5);
  });
});
