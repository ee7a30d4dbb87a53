import type { ChangeMessageVisibilityBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import { ChangeMessageVisibilityBatchCommand } from '@aws-sdk/client-sqs';
import type { Clock } from '../clock.js';
import { groupBy, inBatches } from '../batches.js';
import { asError, LeaseLostError, MaxProcessingTimeExceededError } from '../errors.js';
import type { ConsumerEventBus } from '../events.js';
import type { HeldMessage } from './held-message.js';
import { describeMessage } from './held-message.js';
import { SQS_MAX_VISIBILITY_TIMEOUT_MS } from '../sqs-limits.js';

export interface HeartbeatSettings {
  /** How often the heartbeat looks for messages near expiry, in ms. */
  intervalMs: number;
  /** Processing time after which a message is no longer extended (its signal aborts), in ms. */
  maxProcessingMs: number;
}

/** Margin kept below SQS's 12-hour cap, so the last extension is never refused for being a second late. */
const TWELVE_HOUR_MARGIN_MS = 5_000;

/**
 * Keeps held messages (running or waiting in a lane) invisible to other
 * consumers. On each tick, one `ChangeMessageVisibilityBatch` per queue (in
 * chunks of 10) covers every message whose visibility ends within two ticks.
 * Extensions are capped by `maxProcessingMs` and by SQS's 12-hour limit from
 * the receive. When SQS refuses an extension (the receipt handle is gone), or
 * the visibility has already run out, the message's AbortSignal fires with a
 * {@link LeaseLostError}.
 */
export class Heartbeat {
  private readonly held = new Set<HeldMessage>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;

  constructor(
    private readonly sqs: SQSClient,
    private readonly settings: HeartbeatSettings,
    private readonly clock: Clock,
    private readonly events: ConsumerEventBus,
  ) {}

  track(message: HeldMessage): void {
    this.held.add(message);
  }

  untrack(message: HeldMessage): void {
    this.held.delete(message);
  }

  get trackedCount(): number {
    return this.held.size;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (!this.ticking) {
        this.ticking = this.tick().finally(() => {
          this.ticking = undefined;
        });
      }
    }, this.settings.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
  }

  /** One heartbeat: extends every message near expiry. Public so tests drive it with an injected clock. */
  async tick(): Promise<void> {
    const now = this.clock.now();
    const horizon = now + 2 * this.settings.intervalMs;
    const due: Array<{ message: HeldMessage; seconds: number }> = [];

    for (const message of this.held) {
      if (message.state === 'settled') continue;
      if (message.visibleUntil <= now) {
        this.loseLease(message, new LeaseLostError('its visibility timeout ran out before it could be extended'));
        continue;
      }
      const sinceReceive = now - message.receivedAt;
      if (sinceReceive >= this.settings.maxProcessingMs) {
        // Checked on every tick, not only near expiry, so the abort is at most one tick late.
        this.held.delete(message);
        message.lease.abort(new MaxProcessingTimeExceededError(this.settings.maxProcessingMs));
        continue;
      }
      if (message.visibleUntil > horizon) continue;
      const untilCap = Math.floor((SQS_MAX_VISIBILITY_TIMEOUT_MS - TWELVE_HOUR_MARGIN_MS - sinceReceive) / 1000);
      const seconds = Math.min(message.queue.visibilityTimeoutSeconds, untilCap);
      if (seconds > 0) due.push({ message, seconds });
    }

    const byQueue = groupBy(due, ({ message }) => message.queue.url);
    await Promise.all(
      [...byQueue].flatMap(([queueUrl, list]) => inBatches(list).map((batch) => this.extend(queueUrl, batch, now))),
    );
  }

  private async extend(
    queueUrl: string,
    batch: Array<{ message: HeldMessage; seconds: number }>,
    now: number,
  ): Promise<void> {
    const entries: ChangeMessageVisibilityBatchRequestEntry[] = batch.map(({ message, seconds }, index) => ({
      Id: String(index),
      ReceiptHandle: message.receiptHandle,
      VisibilityTimeout: seconds,
    }));
    const started = this.clock.now();
    try {
      const result = await this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
      );
      const failed = new Map((result.Failed ?? []).map((entry) => [entry.Id, entry]));
      const extended: HeldMessage[] = [];
      batch.forEach(({ message, seconds }, index) => {
        const failure = failed.get(String(index));
        if (failure) {
          this.loseLease(
            message,
            new LeaseLostError(`SQS refused the extension: ${failure.Code}: ${failure.Message ?? ''}`),
          );
        } else {
          extended.push(message);
          message.lease.extended(now + seconds * 1000);
        }
      });
      if (extended.length > 0) {
        this.events.emit('extended', {
          queueUrl,
          messageIds: extended.map((message) => message.messageId),
          durationMs: this.clock.now() - started,
        });
      }
    } catch (error) {
      // The whole call failed (network, throttling): try again next tick. Messages
      // whose visibility runs out meanwhile lose their lease then.
      this.events.emit('error', { operation: 'extend', queueUrl, error: asError(error) });
    }
  }

  private loseLease(message: HeldMessage, error: LeaseLostError): void {
    this.held.delete(message);
    message.lease.abort(error);
    if (this.events.has('lease-lost')) this.events.emit('lease-lost', { ...describeMessage(message), error });
  }
}
