import { describe, expect, it } from '@jest/globals';
import type { OrderSnapshot } from './timeline.js';
import { orderTimeline } from './timeline.js';

const order = (status: string, history: Array<[string, string]>): OrderSnapshot => ({
  id: '00000000-0000-4000-8000-000000000001',
  status,
  customerId: 'c-1',
  createdAt: '2026-01-01T10:00:00.000Z',
  history: history.map(([type, occurredAt]) => ({ type, status, occurredAt })),
});

describe('orderTimeline', () => {
  it('gives each step of a shipped order its time and the time since the step before', () => {
    const timeline = orderTimeline(
      order('SHIPPED', [
        ['order.placed', '2026-01-01T10:00:00.000Z'],
        ['shipment.created', '2026-01-01T10:00:00.250Z'],
        ['shipment.label_created', '2026-01-01T10:00:02.250Z'],
        ['shipment.dispatched', '2026-01-01T10:00:02.500Z'],
      ]),
    );
    expect(timeline.steps.map((step) => [step.label, step.sincePreviousMs])).toEqual([
      ['placed', null],
      ['shipment created', 250],
      ['label', 2000],
      ['dispatched', 250],
    ]);
    expect(timeline.endToEndMs).toBe(2500);
    expect(timeline.settledAt).toBe('2026-01-01T10:00:02.500Z');
  });

  it('leaves the steps still to come empty and the order under way', () => {
    const timeline = orderTimeline(
      order('SHIPMENT_CREATED', [
        ['order.placed', '2026-01-01T10:00:00.000Z'],
        ['shipment.created', '2026-01-01T10:00:01.000Z'],
      ]),
    );
    expect(timeline.steps.map((step) => step.at)).toEqual([
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T10:00:01.000Z',
      null,
      null,
    ]);
    expect(timeline.endToEndMs).toBeNull();
  });

  it('ends a cancelled order at its cancellation, measured from the last step that happened', () => {
    const timeline = orderTimeline(
      order('CANCELLED', [
        ['order.placed', '2026-01-01T10:00:00.000Z'],
        ['shipment.created', '2026-01-01T10:00:01.000Z'],
        ['order.cancelled', '2026-01-01T10:00:03.000Z'],
        ['shipment.cancelled', '2026-01-01T10:00:04.000Z'],
      ]),
    );
    expect(timeline.steps.at(-1)).toEqual({
      label: 'cancelled',
      at: '2026-01-01T10:00:04.000Z',
      sincePreviousMs: 3000,
    });
    expect(timeline.endToEndMs).toBe(4000);
  });

  it('shows no cancellation for an order whose cancellation came too late', () => {
    const timeline = orderTimeline(
      order('SHIPPED', [
        ['order.placed', '2026-01-01T10:00:00.000Z'],
        ['order.cancelled', '2026-01-01T10:00:01.000Z'],
        ['shipment.dispatched', '2026-01-01T10:00:02.000Z'],
      ]),
    );
    expect(timeline.steps.map((step) => step.label)).not.toContain('cancelled');
    expect(timeline.endToEndMs).toBe(2000);
  });
});
