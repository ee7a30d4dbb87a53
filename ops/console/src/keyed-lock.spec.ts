import { describe, expect, it } from '@jest/globals';
import { KeyedLock } from './keyed-lock.js';

/** A task that records its start and end and finishes when told. */
function gate(log: string[], name: string) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    open,
    task: async () => {
      log.push(`${name} start`);
      await opened;
      log.push(`${name} end`);
      return name;
    },
  };
}

describe('KeyedLock', () => {
  it('runs tasks of one key one after the other, and of different keys side by side', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const a1 = gate(log, 'a1');
    const a2 = gate(log, 'a2');
    const b1 = gate(log, 'b1');
    const results = [lock.run('a', a1.task), lock.run('a', a2.task), lock.run('b', b1.task)];
    await Promise.resolve();
    await Promise.resolve();
    expect(log).toEqual(['a1 start', 'b1 start']);
    a1.open();
    a2.open();
    b1.open();
    expect(await Promise.all(results)).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('a2 start')).toBeGreaterThan(log.indexOf('a1 end'));
  });

  it('goes on with the next task after one failed', async () => {
    const lock = new KeyedLock();
    const failed = lock.run('a', async () => {
      throw new Error('boom');
    });
    const next = lock.run('a', async () => 'next');
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('next');
  });
});
