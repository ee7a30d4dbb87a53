import { describe, expect, it } from '@jest/globals';
import { renderTimeline, slowestOrder, timelineOf } from './order-timeline.js';

const at = (ms: number): string => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();

const shipped = [
  { type: 'order.placed', status: 'PENDING', occurredAt: at(0) },
  { type: 'shipment.created', status: 'SHIPMENT_CREATED', occurredAt: at(40) },
  { type: 'shipment.label_created', status: 'LABEL_CREATED', occurredAt: at(3040) },
  { type: 'shipment.dispatched', status: 'SHIPPED', occurredAt: at(3040) },
];

describe('the demo order timeline', () => {
  it('places each step in its service, with the time since placed and since the step before', () => {
    expect(timelineOf(shipped)).toEqual([
      { service: 'order-service', type: 'order.placed', status: 'PENDING', atMs: 0, sinceLastMs: 0 },
      { service: 'shipping-service', type: 'shipment.created', status: 'SHIPMENT_CREATED', atMs: 40, sinceLastMs: 40 },
      {
        service: 'shipping-service',
        type: 'shipment.label_created',
        status: 'LABEL_CREATED',
        atMs: 3040,
        sinceLastMs: 3000,
      },
      { service: 'shipping-service', type: 'shipment.dispatched', status: 'SHIPPED', atMs: 3040, sinceLastMs: 0 },
    ]);
  });

  it('finds the slowest order, first entry to last', () => {
    const quick = { id: 'quick', history: shipped.slice(0, 2) };
    const slow = { id: 'slow', history: shipped };
    expect(slowestOrder([quick, slow, { id: 'none', history: [] }])?.id).toBe('slow');
    expect(slowestOrder([])).toBeUndefined();
  });

  it('renders one line per step', () => {
    const lines = renderTimeline(timelineOf(shipped));
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe('    3040 ms  (+3000 ms)   shipping-service shipment.label_created     -> LABEL_CREATED');
  });
});
