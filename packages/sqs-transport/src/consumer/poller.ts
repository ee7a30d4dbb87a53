import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { Backoff } from '../backoff.js';
import type { Clock } from '../clock.js';
import { asError } from '../errors.js';
import type { ConsumerEventBus } from '../events.js';
import { SQS_MAX_RECEIVE_MESSAGES } from '../sqs-limits.js';
import type { QueueRuntime } from './queue-resolver.js';
import type { WorkPool } from './work-pool.js';

export interface PollerSettings {
  waitTimeSeconds: number;
}

/** Pauses polling through a dependency outage (see `OutageGate`). */
export interface PollingGate {
  readonly paused: boolean;
  /** Resolves when polling may go on, or when `signal` aborts. */
  whenOpen(signal: AbortSignal): Promise<void>;
}

/**
 * One long-poll loop. It waits for room in the work pool, reserves it, and
 * asks SQS for exactly that many messages (at most 10), so a receive never
 * takes more than the consumer can hold. It sends no receive while the gate
 * is paused by a dependency outage, so no receive is counted against a
 * message meanwhile. The receive is aborted at once when the consumer stops.
 * Receive errors back off (0.1 s doubling to 5 s).
 */
export class Poller {
  private loop: Promise<void> | undefined;
  private readonly backoff: Backoff;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queue: QueueRuntime,
    private readonly pool: WorkPool,
    private readonly settings: PollerSettings,
    private readonly clock: Clock,
    private readonly events: ConsumerEventBus,
    private readonly deliver: (queue: QueueRuntime, messages: Message[], receivedAt: number) => void,
    private readonly gate: PollingGate,
  ) {
    this.backoff = new Backoff({ baseMs: 100, maxMs: 5_000 }, { clock });
  }

  start(signal: AbortSignal): void {
    this.loop ??= this.run(signal);
  }

  /** Resolves when the loop has exited (after its signal aborted). */
  stopped(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  private async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      await this.pool.waitForRoom(signal);
      await this.gate.whenOpen(signal);
      if (signal.aborted) break;
      if (this.gate.paused) continue;
      const reserved = this.pool.reserve(SQS_MAX_RECEIVE_MESSAGES);
      if (reserved === 0) continue;
      let messages: Message[] = [];
      try {
        const result = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.queue.url,
            MaxNumberOfMessages: reserved,
            WaitTimeSeconds: this.settings.waitTimeSeconds,
            VisibilityTimeout: this.queue.visibilityTimeoutSeconds,
            MessageAttributeNames: ['All'],
            MessageSystemAttributeNames: [
              'ApproximateReceiveCount',
              'MessageGroupId',
              'MessageDeduplicationId',
              'SentTimestamp',
            ],
          }),
          { abortSignal: signal },
        );
        messages = result.Messages ?? [];
        failures = 0;
      } catch (error) {
        if (!signal.aborted) {
          failures += 1;
          this.events.emit('error', { operation: 'receive', queueUrl: this.queue.url, error: asError(error) });
        }
      } finally {
        this.pool.commit(reserved, messages.length);
      }
      if (messages.length > 0) this.deliver(this.queue, messages, this.clock.now());
      if (failures > 0) await this.backoff.wait(failures, signal);
    }
  }
}
