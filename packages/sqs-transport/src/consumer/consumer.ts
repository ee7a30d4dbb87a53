import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { asError, DependencyUnavailableError, isRetryable, TransportClosedError } from '../errors.js';
import { ConsumerEventBus } from '../events.js';
import { createSqsClient } from '../sqs-client.js';
import type { ResolvedConsumerOptions, SqsConsumerOptions } from './consumer-options.js';
import { heartbeatIntervalMs, resolveConsumerOptions } from './consumer-options.js';
import { FifoLanes } from './fifo-lanes.js';
import { Heartbeat } from './heartbeat.js';
import type { QueueRuntime } from './queue-resolver.js';
import { describeMessage as describe, HeldMessage } from './held-message.js';
import { OutageGate } from './outage-gate.js';
import { Poller } from './poller.js';
import { resolveQueue } from './queue-resolver.js';
import { RetryPolicy } from './retry-policy.js';
import { traceProcessing } from '../tracing/process-span.js';
import type { ShutdownResult } from './shutdown.js';
import { shutDown } from './shutdown.js';
import type { RetryReason } from './settlement.js';
import { Outcome, Settlement } from './settlement.js';
import { WorkPool } from './work-pool.js';

/** What a message handler reports back to the consumer. */
export interface HandlerOutcome {
  /** True when the inbox found the event processed before and the handler did not run. */
  duplicate?: boolean;
}

/**
 * Processes one message. Resolve to ack it; throw to retry it (with backoff)
 * or, for a non-retryable error, to move it to the DLQ.
 */
export type MessageHandler = (message: HeldMessage) => Promise<HandlerOutcome | void>;

type State = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * The consumer core, independent of Nest. A message's path:
 * poller -> work pool -> FIFO lane -> handler -> settlement, with the heartbeat
 * keeping it invisible from receive to settlement. A handler that fails
 * because a dependency is unavailable holds its message in the outage gate
 * (polling paused) and runs again in process, instead of going back to the
 * queue.
 */
export class SqsConsumer {
  readonly events = new ConsumerEventBus();
  readonly sqs: SQSClient;
  private readonly options: ResolvedConsumerOptions;
  private readonly pool: WorkPool;
  private readonly lanes: FifoLanes;
  private readonly retryPolicy: RetryPolicy;
  private readonly outage: OutageGate;
  private readonly settlement: Settlement;
  private heartbeat: Heartbeat | undefined;
  private queues: QueueRuntime[] = [];
  private readonly pollers: Poller[] = [];
  private readonly running = new Set<HeldMessage>();
  /** Failures in a row of a message's handler because a dependency is unavailable (paces its in-process retries). */
  private readonly outageAttempts = new WeakMap<HeldMessage, number>();
  private readonly pollSignal = new AbortController();
  /** The handler inside its `process` span (see `traceProcessing`). */
  private readonly handler: MessageHandler;
  private state: State = 'new';
  private stopping: Promise<ShutdownResult> | undefined;

  constructor(options: SqsConsumerOptions, handler: MessageHandler) {
    this.handler = traceProcessing(handler);
    this.options = resolveConsumerOptions(options);
    this.sqs = options.client ?? createSqsClient(options);
    this.pool = new WorkPool(this.options.concurrency, this.options.concurrency + this.options.prefetch, (message) =>
      this.begin(message),
    );
    this.lanes = new FifoLanes((message) => this.pool.schedule(message));
    this.retryPolicy = new RetryPolicy(this.options.retry, this.options.random);
    this.outage = new OutageGate(
      new RetryPolicy(this.options.outageRetry, this.options.random, 'outageRetry'),
      this.options.clock,
      this.events,
    );
    this.settlement = new Settlement(
      this.sqs,
      {
        flushIntervalMs: this.options.ackFlushIntervalMs,
        maxAttempts: this.options.ackMaxAttempts,
        retryBaseDelayMs: 100,
      },
      this.options.clock,
      this.events,
      (message) => this.settle(message),
    );
  }

  /** The queues as resolved at start (URL, FIFO, visibility, DLQ). */
  get resolvedQueues(): readonly QueueRuntime[] {
    return this.queues;
  }

  /** Messages held right now (running or waiting in a lane). */
  get heldCount(): number {
    return this.pool.size;
  }

  /** Whether polling is paused because a handler found a dependency unavailable (see `OutageGate`). */
  get pollingPaused(): boolean {
    return this.outage.paused;
  }

  /** Resolves the queues, then starts the heartbeat and the poll loops. */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new TransportClosedError('SqsConsumer.start()');
    this.state = 'starting';
    this.queues = await Promise.all(this.options.queues.map((queue) => resolveQueue(this.sqs, queue)));
    const smallestVisibility = Math.min(...this.queues.map((queue) => queue.visibilityTimeoutSeconds));
    this.heartbeat = new Heartbeat(
      this.sqs,
      {
        intervalMs: heartbeatIntervalMs(this.options.heartbeatIntervalMs, smallestVisibility),
        maxProcessingMs: this.options.maxProcessingMs,
      },
      this.options.clock,
      this.events,
    );
    this.heartbeat.start();
    this.options.queues.forEach((settings, index) => {
      const queue = this.queues[index] as QueueRuntime;
      for (let i = 0; i < settings.pollers; i += 1) {
        const poller = new Poller(
          this.sqs,
          queue,
          this.pool,
          { waitTimeSeconds: settings.waitTimeSeconds },
          this.options.clock,
          this.events,
          (from, messages, receivedAt) => this.deliver(from, messages, receivedAt),
          this.outage,
        );
        this.pollers.push(poller);
        poller.start(this.pollSignal.signal);
      }
    });
    this.state = 'running';
  }

  /**
   * Graceful shutdown (see `shutdown.ts`): abort the long polls, return unstarted
   * messages at once, let running handlers finish within `shutdownTimeoutMs`,
   * flush deletes, stop the heartbeat. Safe to call more than once.
   */
  stop(): Promise<ShutdownResult> {
    if (this.stopping) return this.stopping;
    this.state = 'stopping';
    this.stopping = shutDown(
      {
        stopPolling: async () => {
          this.pollSignal.abort();
          await Promise.all(this.pollers.map((poller) => poller.stopped()));
        },
        takeUnstarted: () => {
          // Lanes first, so FIFO messages go back in group order; then held through an outage, like unstarted ones.
          const unstarted = new Set([
            ...this.lanes.drainWaiting(),
            ...this.pool.drainPending(),
            ...this.outage.waiting,
          ]);
          return [...unstarted].filter((message) => message.state === 'waiting' || message.state === 'outage');
        },
        requeue: (messages) => this.requeue(messages),
        whenIdle: () => this.pool.whenIdle(),
        running: () => [...this.running],
        flushAcks: () => this.settlement.flush(),
        stopHeartbeat: async () => this.heartbeat?.stop(),
      },
      this.options.shutdownTimeoutMs,
    ).finally(() => {
      this.state = 'stopped';
    });
    return this.stopping;
  }

  /** Test seam: hands received messages to the consumer as a poller would. */
  deliver(queue: QueueRuntime, messages: Message[], receivedAt: number): void {
    for (const raw of messages) {
      const message = new HeldMessage(queue, raw, receivedAt);
      this.heartbeat?.track(message);
      if (this.events.has('received')) this.events.emit('received', describe(message));
      this.lanes.submit(message);
    }
  }

  private begin(message: HeldMessage): void {
    message.markRunning();
    this.running.add(message);
    void this.process(message, this.options.clock.now());
  }

  private async process(message: HeldMessage, startedAt: number): Promise<void> {
    try {
      const outcome = await this.handler(message);
      this.running.delete(message);
      this.pool.finished();
      this.outage.succeeded(message);
      void this.settlement.apply([message], Outcome.ack); // done before it returns
      this.lanes.advance(message);
      if (this.events.has('processed')) {
        this.events.emit('processed', {
          ...describe(message),
          durationMs: this.options.clock.now() - startedAt,
          duplicate: outcome?.duplicate === true,
        });
      }
    } catch (error) {
      this.running.delete(message);
      this.pool.finished();
      const failure = asError(error);
      const retryable = isRetryable(failure);
      const outage = retryable && this.isDependencyOutage(failure);
      this.events.emit('failed', {
        ...describe(message),
        durationMs: this.options.clock.now() - startedAt,
        error: failure,
        retryable,
        outage,
      });
      if (outage && this.state === 'running' && !message.signal.aborted) {
        await this.holdThroughOutage(message, failure);
        return;
      }
      const rest = this.lanes.close(message);
      if (outage && this.state === 'stopping') {
        // Shutting down: back to the queue at once, as an unstarted message would.
        await this.requeue([message, ...rest]);
      } else if (!retryable && (await this.settlement.apply([message], Outcome.deadLetter(failure)))) {
        await this.retry(rest, 'group-failure');
      } else {
        await this.retry([message, ...rest], 'failed');
      }
    }
  }

  /**
   * Keeps a message whose handler found a dependency unavailable: it stays at the head of its FIFO lane, invisible
   * (the heartbeat extends it as any held message), polling pauses, and it runs again after the outage backoff, or as
   * soon as another held message succeeded. A lost lease or `maxProcessingMs` ends the hold: the message then goes
   * back to the queue with the usual backoff. At shutdown it is requeued like an unstarted message.
   */
  private async holdThroughOutage(message: HeldMessage, error: Error): Promise<void> {
    message.markOutage();
    const attempt = (this.outageAttempts.get(message) ?? 0) + 1;
    this.outageAttempts.set(message, attempt);
    const delayMs = this.outage.hold(message, attempt, error);
    if (this.events.has('held')) {
      this.events.emit('held', { ...describe(message), attempt, delayMs, error });
    }
    await this.outage.wait(message, delayMs, message.signal);
    if (message.state !== 'outage') return; // requeued at shutdown meanwhile
    if (message.signal.aborted) {
      await this.retry([message, ...this.lanes.close(message)], 'failed');
      return;
    }
    message.markWaiting();
    this.pool.schedule(message);
  }

  /** A `DependencyUnavailableError`, or what the `isDependencyOutage` option says (false when it throws). */
  private isDependencyOutage(error: Error): boolean {
    if (error instanceof DependencyUnavailableError) return true;
    try {
      return this.options.isDependencyOutage(error) === true;
    } catch {
      return false;
    }
  }

  /**
   * Returns messages to the queue after a backoff computed from the first
   * one's receive count: a failed message and the rest of its group, together
   * and in order, so the group's order holds.
   */
  private async retry(messages: HeldMessage[], reason: RetryReason): Promise<void> {
    if (messages.length === 0) return;
    const delaySeconds = this.retryPolicy.delaySeconds((messages[0] as HeldMessage).receiveCount);
    await this.settlement.apply(messages, Outcome.retry(delaySeconds, reason));
  }

  /** Shutdown: back to the queue at once (visibility 0), for another consumer. */
  private async requeue(messages: HeldMessage[]): Promise<void> {
    await this.settlement.apply(messages, Outcome.requeue);
  }

  /** The message leaves the consumer: no more heartbeats, its slot is free. */
  private settle(message: HeldMessage): void {
    if (!message.markSettled()) return;
    this.outage.leave(message);
    this.heartbeat?.untrack(message);
    this.pool.vacate();
  }
}
