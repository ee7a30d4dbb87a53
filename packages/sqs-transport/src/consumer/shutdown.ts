import { ShutdownDeadlineExceededError } from '../errors.js';
import type { HeldMessage } from './held-message.js';

/** The parts of a running consumer that shutdown drives, in the order it drives them. */
export interface ShutdownParts {
  /** Aborts the long polls and resolves when every poll loop has exited. */
  stopPolling(): Promise<void>;
  /** Removes the messages that were received but not started (FIFO lanes), in group order. */
  takeUnstarted(): HeldMessage[];
  /** Requeues those messages: makes them visible again at once (visibility 0). */
  requeue(messages: HeldMessage[]): Promise<void>;
  /** Resolves when no message is held any more. */
  whenIdle(): Promise<void>;
  /** Messages still running. */
  running(): HeldMessage[];
  /** Sends every pending delete. */
  flushAcks(): Promise<void>;
  /** Stops the heartbeat (last, so running handlers keep their lease until then). */
  stopHeartbeat(): Promise<void>;
}

export interface ShutdownResult {
  /** Messages received but not started, requeued (visibility 0) for another consumer. */
  requeued: number;
  /** @deprecated The old name of {@link ShutdownResult.requeued}. */
  released: number;
  /** Handlers still running at the deadline; their signals were aborted. */
  abandoned: number;
}

/**
 * Graceful shutdown: stop receiving, requeue what has not started, let
 * running handlers finish within the deadline (heartbeats continue), flush
 * deletes. Handlers still running at the deadline get their AbortSignal fired
 * and a short grace; their messages reappear when their visibility runs out.
 */
export async function shutDown(parts: ShutdownParts, deadlineMs: number): Promise<ShutdownResult> {
  await parts.stopPolling();
  const unstarted = parts.takeUnstarted();
  if (unstarted.length > 0) await parts.requeue(unstarted);

  const finished = await settleWithin(parts.whenIdle(), deadlineMs);
  let abandoned = 0;
  if (!finished) {
    const stillRunning = parts.running();
    abandoned = stillRunning.length;
    for (const message of stillRunning) message.lease.abort(new ShutdownDeadlineExceededError(deadlineMs));
    await settleWithin(parts.whenIdle(), Math.min(1_000, deadlineMs));
  }
  await parts.flushAcks();
  await parts.stopHeartbeat();
  return { requeued: unstarted.length, released: unstarted.length, abandoned };
}

async function settleWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
