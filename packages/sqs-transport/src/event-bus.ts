import { EventEmitter } from 'node:events';

/**
 * A typed emitter over an event map (`{ [name]: payload }`), for the consumer's and the relay's events. Listener errors
 * are caught: a faulty listener never breaks what emits (message processing, the relay loop).
 */
export class EventBus<Events extends object> {
  private readonly emitter = new EventEmitter();

  on<K extends keyof Events & string>(name: K, listener: (event: Events[K]) => void): this {
    this.emitter.on(name, listener);
    return this;
  }

  off<K extends keyof Events & string>(name: K, listener: (event: Events[K]) => void): this {
    this.emitter.off(name, listener);
    return this;
  }

  /** Whether anybody listens: lets hot paths skip building events nobody reads. */
  has(name: keyof Events & string): boolean {
    return this.emitter.listenerCount(name) > 0;
  }

  emit<K extends keyof Events & string>(name: K, event: Events[K]): void {
    if (this.emitter.listenerCount(name) === 0) return;
    for (const listener of this.emitter.listeners(name)) {
      try {
        (listener as (event: Events[K]) => void)(event);
      } catch {
        // A faulty listener must not stop what emits.
      }
    }
  }
}
