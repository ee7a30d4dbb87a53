import { describe, expect, it } from '@jest/globals';
import { EventBus } from './event-bus.js';

interface TestEvents {
  sent: { ids: string[] };
  error: { operation: string; error: Error };
}

describe('EventBus', () => {
  it('delivers each event to the listeners of its name, in the order they were added', () => {
    const bus = new EventBus<TestEvents>();
    const seen: string[] = [];
    bus.on('sent', (event) => seen.push(`first ${event.ids.join()}`));
    bus.on('sent', (event) => seen.push(`second ${event.ids.join()}`));
    bus.on('error', (event) => seen.push(`error ${event.operation}`));

    bus.emit('sent', { ids: ['a', 'b'] });

    expect(seen).toEqual(['first a,b', 'second a,b']);
  });

  it('says whether anybody listens, and stops delivering after off()', () => {
    const bus = new EventBus<TestEvents>();
    const seen: string[][] = [];
    const listener = (event: TestEvents['sent']): void => {
      seen.push(event.ids);
    };
    expect(bus.has('sent')).toBe(false);
    bus.on('sent', listener);
    expect(bus.has('sent')).toBe(true);
    bus.off('sent', listener);
    expect(bus.has('sent')).toBe(false);
    bus.emit('sent', { ids: ['a'] });
    expect(seen).toEqual([]);
  });

  it('keeps going when a listener throws, and treats "error" as any other event', () => {
    const bus = new EventBus<TestEvents>();
    const seen: string[] = [];
    bus.on('error', () => {
      throw new Error('faulty listener');
    });
    bus.on('error', (event) => seen.push(event.error.message));

    expect(() => bus.emit('error', { operation: 'claim', error: new Error('db away') })).not.toThrow();
    expect(seen).toEqual(['db away']);
    // Without listeners, "error" is not thrown either (unlike a bare EventEmitter).
    expect(() => new EventBus<TestEvents>().emit('error', { operation: 'x', error: new Error('e') })).not.toThrow();
  });
});
