import { describe, expect, it } from '@jest/globals';
import type { HeldMessage } from './held-message.js';
import { WorkPool } from './work-pool.js';

const message = (id: string): HeldMessage => ({ messageId: id }) as HeldMessage;

describe('WorkPool', () => {
  it('reserves no more than the free room', () => {
    const pool = new WorkPool(5, 5, () => undefined);
    expect(pool.reserve(10)).toBe(5);
    expect(pool.reserve(10)).toBe(0);
  });

  it('reserves nothing while less than a full receive is free, when prefetch keeps every handler busy meanwhile', () => {
    const pool = new WorkPool(50, 60, () => undefined); // prefetch 10
    expect(pool.batchThreshold).toBe(10);
    expect(pool.reserve(10)).toBe(10);
    pool.commit(pool.reserve(50), 50);
    expect(pool.free).toBe(0);
    pool.commit(10, 1); // a receive of 10 brought 1: 9 free, less than a full receive
    expect(pool.reserve(10)).toBe(0);
    pool.vacate();
    expect(pool.reserve(10)).toBe(10);
  });

  it('waits for less than a full receive only when prefetch is too small to keep the handlers busy', () => {
    expect(new WorkPool(50, 50, () => undefined).batchThreshold).toBe(1);
    expect(new WorkPool(50, 54, () => undefined).batchThreshold).toBe(5);
    expect(new WorkPool(3, 3, () => undefined).batchThreshold).toBe(1);
    expect(new WorkPool(1, 100, () => undefined).batchThreshold).toBe(10);
  });

  it('wakes a waiting poller only once a full receive fits', async () => {
    const pool = new WorkPool(50, 60, () => undefined);
    pool.commit(pool.reserve(10), 10);
    for (let i = 0; i < 5; i += 1) pool.commit(pool.reserve(10), 10);
    let woke = false;
    const waiting = pool.waitForRoom(new AbortController().signal).then(() => {
      woke = true;
    });
    for (let i = 0; i < 9; i += 1) pool.vacate();
    await Promise.resolve();
    expect(woke).toBe(false);
    pool.vacate();
    await waiting;
    expect(woke).toBe(true);
  });

  it('returns the unused part of a reservation', () => {
    const pool = new WorkPool(5, 10, () => undefined);
    const granted = pool.reserve(10);
    pool.commit(granted, 3);
    expect(pool.size).toBe(3);
    expect(pool.free).toBe(7);
  });

  it('runs at most `concurrency` messages and starts pending ones in order as slots free up', () => {
    const started: string[] = [];
    const pool = new WorkPool(2, 10, (m) => started.push(m.messageId));
    ['a', 'b', 'c', 'd'].forEach((id) => pool.schedule(message(id)));
    expect(started).toEqual(['a', 'b']);
    expect(pool.running).toBe(2);
    pool.finished();
    expect(started).toEqual(['a', 'b', 'c']);
    expect(pool.drainPending().map((m) => m.messageId)).toEqual(['d']);
    pool.finished();
    pool.finished();
    expect(pool.running).toBe(0);
  });

  it('wakes a waiting poller when room is vacated', async () => {
    const pool = new WorkPool(1, 1, () => undefined);
    pool.commit(pool.reserve(1), 1);
    let woke = false;
    const waiting = pool.waitForRoom(new AbortController().signal).then(() => {
      woke = true;
    });
    await Promise.resolve();
    expect(woke).toBe(false);
    pool.vacate();
    await waiting;
    expect(woke).toBe(true);
  });

  it('stops waiting when the signal aborts', async () => {
    const pool = new WorkPool(1, 1, () => undefined);
    pool.commit(pool.reserve(1), 1);
    const controller = new AbortController();
    const waiting = pool.waitForRoom(controller.signal);
    controller.abort();
    await expect(waiting).resolves.toBeUndefined();
  });

  it('resolves whenIdle once every held message has vacated its room', async () => {
    const pool = new WorkPool(5, 5, () => undefined);
    pool.commit(pool.reserve(2), 2);
    let idle = false;
    const idlePromise = pool.whenIdle().then(() => {
      idle = true;
    });
    pool.vacate();
    await Promise.resolve();
    expect(idle).toBe(false);
    pool.vacate();
    await idlePromise;
    expect(idle).toBe(true);
  });
});
