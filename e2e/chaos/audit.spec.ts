import { describe, expect, it } from '@jest/globals';
import type { AuditInput, AuditRule } from './audit.js';
import { audit, AUDIT_RULES } from './audit.js';

/** Two orders done right: one shipped, one cancelled; one poison message in the DLQ. */
function clean(): AuditInput {
  return {
    accepted: new Set(['o1', 'o2']),
    orders: [
      { id: 'o1', status: 'SHIPPED' },
      { id: 'o2', status: 'CANCELLED' },
    ],
    history: [
      { orderId: 'o1', eventId: 'p1', type: 'order.placed' },
      { orderId: 'o2', eventId: 'p2', type: 'order.placed' },
      { orderId: 'o1', eventId: 's1', type: 'shipment.created' },
      { orderId: 'o2', eventId: 'c2', type: 'order.cancelled' },
      { orderId: 'o1', eventId: 'l1', type: 'shipment.label_created' },
      { orderId: 'o2', eventId: 's2', type: 'shipment.created' },
      { orderId: 'o1', eventId: 'd1', type: 'shipment.dispatched' },
      { orderId: 'o2', eventId: 'x2', type: 'shipment.cancelled' },
    ],
    emitted: [
      { source: 'order', groupId: 'o1', eventId: 'p1', type: 'order.placed' },
      { source: 'order', groupId: 'o2', eventId: 'p2', type: 'order.placed' },
      { source: 'order', groupId: 'o2', eventId: 'c2', type: 'order.cancelled' },
      { source: 'shipping', groupId: 'o1', eventId: 's1', type: 'shipment.created' },
      { source: 'shipping', groupId: 'o2', eventId: 's2', type: 'shipment.created' },
      { source: 'shipping', groupId: 'o1', eventId: 'l1', type: 'shipment.label_created' },
      { source: 'shipping', groupId: 'o1', eventId: 'd1', type: 'shipment.dispatched' },
      { source: 'shipping', groupId: 'o2', eventId: 'x2', type: 'shipment.cancelled' },
    ],
    shipments: [
      { id: 'sh1', orderId: 'o1', status: 'DISPATCHED', trackingNumber: 'T1' },
      { id: 'sh2', orderId: 'o2', status: 'CANCELLED', trackingNumber: null },
    ],
    labels: [{ key: 'sh1', trackingNumber: 'T1' }],
    unsentOutbox: [{ database: 'orders', status: 'pending', rows: 0 }],
    deadLetters: [
      {
        queue: 'order-events-dlq.fifo',
        messageId: 'm-poison',
        eventId: 'poison-1',
        code: 'PAYLOAD_INVALID',
        maxReceiveCount: 5,
      },
    ],
    injectedDeadLetters: new Set(['poison-1']),
    receives: [],
    faults: [],
  };
}

/** The rules with problems. */
function failing(input: AuditInput): AuditRule[] {
  const result = audit(input);
  return (Object.keys(result) as AuditRule[]).filter((rule) => result[rule].length > 0);
}

describe('audit', () => {
  it('finds nothing wrong with a run that kept every promise', () => {
    expect(audit(clean())).toEqual(Object.fromEntries(Object.keys(AUDIT_RULES).map((rule) => [rule, []])));
  });

  it('catches an order that is not final, not stored, or made twice by one key', () => {
    expect(failing({ ...clean(), orders: [{ id: 'o1', status: 'LABEL_CREATED' }, clean().orders[1]!] })).toContain(
      'final',
    );
    expect(failing({ ...clean(), accepted: new Set(['o1', 'o2', 'o3']) })).toEqual(['final']);
    expect(failing({ ...clean(), accepted: new Set(['o1']) })).toContain('final');
  });

  it('catches a missing or second shipment, and one in a state its order did not end in', () => {
    const [first, second] = clean().shipments;
    expect(failing({ ...clean(), shipments: [first!] })).toContain('shipments');
    expect(failing({ ...clean(), shipments: [first!, second!, { ...second!, id: 'sh3' }] })).toContain('shipments');
    expect(
      failing({ ...clean(), shipments: [first!, { ...second!, status: 'DISPATCHED', trackingNumber: 'T2' }] }),
    ).toContain('shipments');
  });

  it('catches a second label, a dispatched shipment without one, and a label that is not the one dispatched', () => {
    expect(failing({ ...clean(), labels: [...clean().labels, { key: 'sh1', trackingNumber: 'T9' }] })).toEqual([
      'labels',
    ]);
    expect(failing({ ...clean(), labels: [] })).toEqual(['labels']);
    expect(failing({ ...clean(), labels: [{ key: 'sh1', trackingNumber: 'T9' }] })).toEqual(['labels']);
  });

  it("catches a history out of emission order, with an event twice, or without one, but not the services' interleaving", () => {
    const history = [...clean().history];
    const swapped = [history[0]!, history[1]!, history[4]!, history[3]!, history[2]!, ...history.slice(5)];
    expect(failing({ ...clean(), history: swapped })).toEqual(['history']);
    expect(failing({ ...clean(), history: [...history, history[2]!] })).toEqual(['history']);
    expect(failing({ ...clean(), history: history.filter((entry) => entry.eventId !== 'l1') })).toEqual(['history']);
    // order.cancelled (order service) between the shipping service's events is fine: order holds per emitter.
    const interleaved = [
      history[0]!,
      history[2]!,
      history[1]!,
      history[5]!,
      history[3]!,
      ...history.slice(4, 5),
      ...history.slice(6),
    ];
    expect(failing({ ...clean(), history: interleaved })).toEqual([]);
  });

  it('catches a pending or parked outbox row', () => {
    expect(failing({ ...clean(), unsentOutbox: [{ database: 'shipping', status: 'parked', rows: 1 }] })).toEqual([
      'outbox',
    ]);
  });

  it('catches a DLQ message no injected fault explains, and a poison message that did not reach a DLQ', () => {
    const stray = { queue: 'shipping-labels-dlq.fifo', messageId: 'm9', eventId: 'e9', code: 'X', maxReceiveCount: 2 };
    expect(failing({ ...clean(), deadLetters: [...clean().deadLetters, stray] })).toEqual(['deadLetters']);
    expect(failing({ ...clean(), deadLetters: [] })).toEqual(['deadLetters']);
  });

  it('accepts a redriven DLQ message only when faults used up maxReceiveCount of its receives', () => {
    const redriven = {
      ...clean().deadLetters[0]!,
      messageId: 'm9',
      eventId: 'e9',
      code: undefined,
      maxReceiveCount: 2,
    };
    const deadLetters = [...clean().deadLetters, redriven];
    const receives = [
      { messageId: 'm9', process: 'shipping-service#0', receiveCount: 1, at: 1_000 },
      { messageId: 'm9', process: 'shipping-service#1', receiveCount: 2, at: 9_000 },
    ];
    const kills = [
      { kind: 'kill' as const, process: 'shipping-service#0', at: 2_000 },
      { kind: 'kill' as const, process: 'shipping-service#1', at: 10_000 },
    ];
    expect(failing({ ...clean(), deadLetters, receives, faults: kills })).toEqual([]);
    expect(failing({ ...clean(), deadLetters, receives, faults: kills.slice(0, 1) })).toEqual(['deadLetters']);
    expect(failing({ ...clean(), deadLetters, receives: [], faults: kills })).toEqual(['deadLetters']);
  });
});
