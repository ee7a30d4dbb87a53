import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { groupBy } from '../batches.js';
import {
  asError,
  DependencyUnavailableError,
  errorCode,
  errorMessage,
  isRetryable,
  TransportClosedError,
} from '../errors.js';
import type { MessageEventBase } from '../events.js';
import { ConsumerEventBus } from '../events.js';
import { createSqsClient } from '../sqs-client.js';
import { Acker } from './acker.js';
import type { ResolvedConsumerOptions, SqsConsumerOptions } from './consumer-options.js';
import { heartbeatIntervalMs, resolveConsumerOptions } from './consumer-options.js';
import { moveToDeadLetterQueue } from './dead-letter.js';
import { FifoLanes } from './fifo-lanes.js';
import { Heartbeat } from './heartbeat.js';
import type { QueueRuntime } from './queue-resolver.js';
import { HeldMessage } from './held-message.js';
import { OutageGate } from './outage-gate.js';
import { Poller } from './poller.js';
import { resolveQueue } from './queue-resolver.js';
import { RetryPolicy } from './retry-policy.js';
import type { ShutdownResult } from './shutdown.js';
import { shutDown } from './shutdown.js';
import { changeVisibility } from './visibility.js';
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
 * poller -> work pool -> FIFO lane -> handler -> acker, with the heartbeat
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
  private readonly acker: Acker;
  private heartbeat: Heartbeat | undefined;
  private queues: QueueRuntime[] = [];
  private readonly pollers: Poller[] = [];
  private readonly running = new Set<HeldMessage>();
  private readonly pollSignal = new AbortController();
  private state: State = 'new';
  private stopping: Promise<ShutdownResult> | undefined;

  constructor(
    options: SqsConsumerOptions,
    private readonly handler: MessageHandler,
  ) {
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
    this.acker = new Acker(
      this.sqs,
      {
        flushIntervalMs: this.options.ackFlushIntervalMs,
        maxAttempts: this.options.ackMaxAttempts,
        retryBaseDelayMs: 100,
      },
      this.options.clock,
      this.events,
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
        intervalMs: heartbeatIntervalMs(this.options.heartbeatIntervalSeconds, smallestVisibility),
        maxProcessingMs: this.options.maxProcessingSeconds * 1000,
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
        flushAcks: () => this.acker.flush(),
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
    message.state = 'running';
    message.startedAt = this.options.clock.now();
    this.running.add(message);
    void this.process(message);
  }

  private async process(message: HeldMessage): Promise<void> {
    const startedAt = message.startedAt ?? this.options.clock.now();
    try {
      const outcome = await this.handler(message);
      this.running.delete(message);
      this.pool.finished();
      this.acker.ack(message.queue.url, message.receiptHandle, message.messageId);
      this.outage.succeeded(message);
      this.settle(message);
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
      } else if (!retryable && message.queue.deadLetterQueueUrl && (await this.deadLetter(message, failure))) {
        this.settle(message);
        await this.retry(rest, 'group-failure');
      } else {
        await this.retry([message, ...rest], 'failed');
      }
    }
  }

  /**
   * Keeps a message whose handler found a dependency unavailable: it stays at the head of its FIFO lane, invisible
   * (the heartbeat extends it as any held message), polling pauses, and it runs again after the outage backoff, or as
   * soon as another held message succeeded. A lost lease or `maxProcessingSeconds` ends the hold: the message then goes
   * back to the queue with the usual backoff. At shutdown it is requeued like an unstarted message.
   */
  private async holdThroughOutage(message: HeldMessage, error: Error): Promise<void> {
    message.state = 'outage';
    message.outageAttempts += 1;
    const delayMs = this.outage.hold(message, message.outageAttempts, error);
    if (this.events.has('held')) {
      this.events.emit('held', { ...describe(message), attempt: message.outageAttempts, delayMs, error });
    }
    await this.outage.wait(message, delayMs, message.signal);
    if (message.state !== 'outage') return; // requeued at shutdown meanwhile
    if (message.signal.aborted) {
      await this.retry([message, ...this.lanes.close(message)], 'failed');
      return;
    }
    message.state = 'waiting';
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

  /** Moves the message to its DLQ and acks it; false when the move failed (it is then retried). */
  private async deadLetter(message: HeldMessage, error: Error): Promise<boolean> {
    const deadLetterQueueUrl = message.queue.deadLetterQueueUrl as string;
    try {
      await moveToDeadLetterQueue(this.sqs, message, deadLetterQueueUrl, error);
    } catch (moveError) {
      this.events.emit('error', { operation: 'dead-letter', queueUrl: message.queue.url, error: asError(moveError) });
      return false;
    }
    this.acker.ack(message.queue.url, message.receiptHandle, message.messageId);
    this.events.emit('dead-lettered', {
      ...describe(message),
      deadLetterQueueUrl,
      errorCode: errorCode(error),
      reason: errorMessage(error),
    });
    return true;
  }

  /**
   * Returns messages to the queue after a backoff computed from the first
   * one's receive count: a failed message and the rest of its group, together
   * and in order, so the group's order holds.
   */
  private async retry(messages: HeldMessage[], reason: 'failed' | 'group-failure'): Promise<void> {
    if (messages.length === 0) return;
    const head = messages[0] as HeldMessage;
    const delaySeconds = this.retryPolicy.delaySeconds(head.receiveCount);
    for (const message of messages) this.settle(message);
    try {
      await changeVisibility(this.sqs, messages, () => delaySeconds);
    } catch (error) {
      // The messages reappear when their current visibility runs out instead.
      this.events.emit('error', { operation: 'retry', queueUrl: head.queue.url, error: asError(error) });
    }
    if (this.events.has('retried')) {
      messages.forEach((message, index) =>
        this.events.emit('retried', {
          ...describe(message),
          delaySeconds,
          reason: index === 0 ? reason : 'group-failure',
        }),
      );
    }
  }

  /** Shutdown: back to the queue at once (visibility 0), for another consumer. */
  private async requeue(messages: HeldMessage[]): Promise<void> {
    const started = this.options.clock.now();
    for (const message of messages) this.settle(message);
    try {
      await changeVisibility(this.sqs, messages, () => 0);
    } catch (error) {
      this.events.emit('error', {
        operation: 'requeue',
        queueUrl: messages[0]?.queue.url ?? '',
        error: asError(error),
      });
      return;
    }
    for (const [queueUrl, requeued] of groupBy(messages, (message) => message.queue.url)) {
      const event = {
        queueUrl,
        messageIds: requeued.map((message) => message.messageId),
        durationMs: this.options.clock.now() - started,
      };
      this.events.emit('requeued', event);
      this.events.emit('released', event);
    }
  }

  /** The message leaves the consumer: no more heartbeats, its slot is free. */
  private settle(message: HeldMessage): void {
    if (message.state === 'settled') return;
    message.state = 'settled';
    this.outage.leave(message);
    this.heartbeat?.untrack(message);
    this.pool.vacate();
  }
}

function describe(message: HeldMessage): MessageEventBase {
  return {
    queueUrl: message.queue.url,
    messageId: message.messageId,
    eventType: message.eventType ?? message.typeAttribute,
    groupId: message.groupId,
    receiveCount: message.receiveCount,
  };
}
