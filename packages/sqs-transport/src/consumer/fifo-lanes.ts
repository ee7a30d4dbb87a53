import type { HeldMessage } from './held-message.js';

/**
 * Splits FIFO messages by `MessageGroupId` into lanes: strictly one message at
 * a time within a group, groups in parallel. Messages of standard queues have
 * no lane and start at once.
 *
 * The head of a lane is the running message; the rest wait in receive order.
 */
export class FifoLanes {
  private readonly lanes = new Map<string, HeldMessage[]>();

  constructor(private readonly start: (message: HeldMessage) => void) {}

  /** Number of groups with a message running. */
  get activeLanes(): number {
    return this.lanes.size;
  }

  /** Starts the message now, or queues it behind the running message of its group. */
  submit(message: HeldMessage): void {
    const key = laneKey(message);
    if (key === undefined) {
      this.start(message);
      return;
    }
    const lane = this.lanes.get(key);
    if (lane === undefined) {
      this.lanes.set(key, [message]);
      this.start(message);
    } else {
      lane.push(message);
    }
  }

  /** The head of its lane succeeded: start the next message of the group, if any. */
  advance(message: HeldMessage): void {
    const key = laneKey(message);
    if (key === undefined) return;
    const lane = this.lanes.get(key);
    if (lane === undefined || lane[0] !== message) return;
    lane.shift();
    const next = lane[0];
    if (next === undefined) this.lanes.delete(key);
    else this.start(next);
  }

  /**
   * The head of its lane failed: closes the lane and returns the messages that
   * were waiting behind it, in order, so they go back to the queue together.
   */
  close(message: HeldMessage): HeldMessage[] {
    const key = laneKey(message);
    if (key === undefined) return [];
    const lane = this.lanes.get(key);
    if (lane === undefined || lane[0] !== message) return [];
    this.lanes.delete(key);
    return lane.slice(1);
  }

  /**
   * Removes every message that is not running, lane by lane in group order (a
   * head still waiting for a handler slot, or held through a dependency outage,
   * included); used at shutdown.
   */
  drainWaiting(): HeldMessage[] {
    const waiting: HeldMessage[] = [];
    for (const [key, lane] of this.lanes) {
      if (lane[0]?.state === 'waiting' || lane[0]?.state === 'outage') {
        waiting.push(...lane);
        this.lanes.delete(key);
      } else {
        waiting.push(...lane.splice(1));
      }
    }
    return waiting;
  }
}

function laneKey(message: HeldMessage): string | undefined {
  if (!message.queue.fifo) return undefined;
  return `${message.queue.url}\u0000${message.groupId ?? ''}`;
}
