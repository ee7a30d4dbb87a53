import { describe, expect, it } from '@jest/globals';
import type { Receive, TimedFault } from './receive-history.js';
import { explainRedrive, faultThatUsed, receivesFromLogs } from './receive-history.js';

const at = (ms: number): string => new Date(ms).toISOString();

describe('receivesFromLogs', () => {
  it("pairs each process's receipt line with its outcome line, and keeps a receive that has no outcome", () => {
    const consumer = { component: 'sqs-consumer', messageId: 'm1' };
    const receives = receivesFromLogs(
      new Map([
        [
          'order-service#0',
          [
            { ...consumer, msg: 'message received', receiveCount: 1, time: at(1_000) },
            { ...consumer, outcome: 'held', receiveCount: 1, time: at(1_500) },
            { ...consumer, outcome: 'retry', errorCode: 'FAULT_INJECTED', receiveCount: 1, time: at(2_000) },
            { msg: 'label job done', outcome: 'purchased', messageId: 'm1', receiveCount: 1, time: at(2_100) },
          ],
        ],
        [
          'order-service#1',
          [
            { ...consumer, msg: 'message received', receiveCount: 2, time: at(5_000) },
            // Held through an outage, then the process was killed: the receive has no outcome.
            { ...consumer, outcome: 'held', receiveCount: 2, time: at(5_500) },
          ],
        ],
      ]),
    );
    expect(receives).toEqual([
      {
        messageId: 'm1',
        process: 'order-service#0',
        receiveCount: 1,
        at: 1_000,
        outcome: { kind: 'retry', at: 2_000, errorCode: 'FAULT_INJECTED' },
      },
      { messageId: 'm1', process: 'order-service#1', receiveCount: 2, at: 5_000 },
    ]);
  });
});

describe('faultThatUsed', () => {
  const held: Receive = { messageId: 'm1', process: 'shipping-service#0', receiveCount: 1, at: 1_000 };
  const processed: Receive = { ...held, outcome: { kind: 'processed', at: 1_200 } };

  it('counts a kill of the process that held it, before it came back', () => {
    const kill: TimedFault = { kind: 'kill', process: 'shipping-service#0', at: 3_000 };
    expect(faultThatUsed(held, 7_000, [kill])).toMatch(/SIGKILLed .* while holding it/);
    expect(faultThatUsed(processed, 7_000, [kill])).toMatch(/before its delete was sent/);
    expect(faultThatUsed(held, 2_000, [kill])).toBeUndefined();
    expect(faultThatUsed(held, 7_000, [{ ...kill, process: 'shipping-service#1' }])).toBeUndefined();
    expect(faultThatUsed({ ...held, outcome: { kind: 'retry', at: 1_100, errorCode: 'BUG' } }, 7_000, [kill])).toBe(
      undefined,
    );
  });

  it('counts an emulator restart while it was held, and injected or database failures', () => {
    const restart: TimedFault = { kind: 'sqs-restart', from: 4_000, to: 5_000 };
    expect(faultThatUsed(processed, 7_000, [restart])).toMatch(/emulator down/);
    expect(faultThatUsed(processed, 3_000, [restart])).toBeUndefined();
    const failed = (errorCode: string): Receive => ({ ...held, outcome: { kind: 'retry', at: 1_500, errorCode } });
    expect(faultThatUsed(failed('FAULT_INJECTED'), 7_000, [])).toMatch(/on purpose/);
    expect(faultThatUsed(failed('CARRIER_CALL_ABORTED'), 7_000, [])).toMatch(/on purpose/);
    expect(faultThatUsed(failed('SOME_BUG'), 7_000, [restart])).toBeUndefined();
    const stall: TimedFault = { kind: 'database', what: 'a stall', from: 900, to: 1_400 };
    expect(faultThatUsed(failed('DATABASE_UNAVAILABLE'), 7_000, [stall])).toMatch(/during a stall/);
    expect(faultThatUsed(failed('P2039'), 7_000, [stall])).toMatch(/P2039 during a stall/);
    expect(faultThatUsed(failed('DATABASE_UNAVAILABLE'), 7_000, [])).toBeUndefined();
    expect(faultThatUsed(failed('DATABASE_UNAVAILABLE'), 7_000, [{ ...stall, from: 1_600, to: 2_000 }])).toBe(
      undefined,
    );
  });
});

describe('explainRedrive', () => {
  it('explains a message only when faults used maxReceiveCount of its receives, and lists its history', () => {
    const receives: Receive[] = [
      { messageId: 'm1', process: 'p#0', receiveCount: 1, at: 1_000, outcome: { kind: 'processed', at: 1_100 } },
      { messageId: 'm1', process: 'p#1', receiveCount: 2, at: 8_000 },
      { messageId: 'm2', process: 'p#1', receiveCount: 1, at: 8_500 },
    ];
    const faults: TimedFault[] = [
      { kind: 'sqs-restart', from: 2_000, to: 3_000 },
      { kind: 'kill', process: 'p#1', at: 9_000 },
    ];
    const explained = explainRedrive('m1', receives, faults, 2);
    expect(explained.explained).toBe(true);
    expect(explained.faults).toHaveLength(2);
    expect(explained.history).toHaveLength(2);
    expect(explainRedrive('m1', receives, faults.slice(1), 2)).toMatchObject({ explained: false });
  });
});
