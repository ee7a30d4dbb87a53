import type { Message, MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';

interface StoredMessage {
  id: string;
  body: string;
  attributes: Record<string, MessageAttributeValue>;
  groupId: string | undefined;
  deduplicationId: string | undefined;
  receiveCount: number;
  visibleAt: number;
  receiptHandle: string | undefined;
}

interface FakeQueue {
  url: string;
  name: string;
  fifo: boolean;
  visibilityTimeoutSeconds: number;
  messages: StoredMessage[];
  redrivePolicy: string | undefined;
  /** FIFO: deduplication id to the message id it was first sent as, and when. */
  deduplication: Map<string, { messageId: string; at: number }>;
}

/** How long a FIFO queue drops a message whose deduplication id it has seen: 5 minutes, as on AWS. */
const DEDUPLICATION_WINDOW_MS = 300_000;

/** A call the fake received, for assertions. */
export interface RecordedCall {
  command: string;
  input: unknown;
}

/** Fault injection: return an SQS error code to fail that entry, or undefined to let it through. */
export type EntryFault = (message: { id: string; body: string; receiptHandle: string }) => string | undefined;

/**
 * An in-memory SQS with the semantics the consumer relies on (visibility,
 * receive counts, receipt handles that go stale, FIFO groups blocked while a
 * message of theirs is in flight), for the paths a real emulator cannot show:
 * several messages of one FIFO group in one receive (AWS does this, fauxqs does
 * not), refused extensions, failed deletes, refused batch sends, FIFO
 * deduplication (5 minutes on the injected clock). Use `asClient()` where an
 * `SQSClient` is expected.
 */
export class FakeSqsClient {
  readonly calls: RecordedCall[] = [];
  /** Fails matching entries of ChangeMessageVisibilityBatch. */
  failExtension: EntryFault | undefined;
  /** Fails matching entries of DeleteMessageBatch. */
  failDelete: EntryFault | undefined;
  /** Fails matching entries of SendMessageBatch (not the sender's fault); `id` is the entry's batch id. */
  failSend: EntryFault | undefined;
  /**
   * After an entry of a FIFO group fails in a SendMessageBatch, also fail the group's later entries in that call.
   * AWS does not document either way; fauxqs, and this fake by default, accept them.
   */
  failRestOfGroupAfterSendFailure = false;
  private readonly queues = new Map<string, FakeQueue>();
  private waiters = new Set<() => void>();

  constructor(private readonly clock: Clock = systemClock) {}

  asClient(): SQSClient {
    return this as unknown as SQSClient;
  }

  createQueue(
    name: string,
    options: { visibilityTimeoutSeconds?: number; deadLetterArn?: string; maxReceiveCount?: number } = {},
  ): string {
    const url = `http://fake-sqs.local/000000000000/${name}`;
    this.queues.set(url, {
      url,
      name,
      fifo: name.endsWith('.fifo'),
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
      messages: [],
      deduplication: new Map(),
      redrivePolicy: options.deadLetterArn
        ? JSON.stringify({ deadLetterTargetArn: options.deadLetterArn, maxReceiveCount: options.maxReceiveCount ?? 5 })
        : undefined,
    });
    return url;
  }

  /** Appends a message, as SendMessage would. */
  enqueue(
    queueUrl: string,
    body: string,
    options: { groupId?: string; deduplicationId?: string; attributes?: Record<string, MessageAttributeValue> } = {},
  ): string {
    const queue = this.queue(queueUrl);
    const id = randomUUID();
    queue.messages.push({
      id,
      body,
      attributes: options.attributes ?? {},
      groupId: options.groupId,
      deduplicationId: options.deduplicationId,
      receiveCount: 0,
      visibleAt: 0,
      receiptHandle: undefined,
    });
    this.wake();
    return id;
  }

  /** Messages still on the queue (visible or not), in queue order. */
  messages(queueUrl: string): ReadonlyArray<Readonly<StoredMessage>> {
    return this.queue(queueUrl).messages;
  }

  /** Messages visible now. */
  visibleMessages(queueUrl: string): ReadonlyArray<Readonly<StoredMessage>> {
    const now = this.clock.now();
    return this.queue(queueUrl).messages.filter((message) => message.visibleAt <= now);
  }

  callsOf(command: string): RecordedCall[] {
    return this.calls.filter((call) => call.command === command);
  }

  async send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown> {
    const name = (command as { constructor: { name: string } }).constructor.name;
    const input = (command as { input: unknown }).input;
    this.calls.push({ command: name, input });
    if (command instanceof ReceiveMessageCommand) return this.receive(command.input, options?.abortSignal);
    if (command instanceof DeleteMessageBatchCommand) return this.deleteBatch(command.input);
    if (command instanceof ChangeMessageVisibilityBatchCommand) return this.changeVisibilityBatch(command.input);
    if (command instanceof SendMessageCommand) {
      const { QueueUrl, MessageBody, MessageGroupId, MessageDeduplicationId, MessageAttributes } = command.input;
      const id = this.enqueue(QueueUrl ?? '', MessageBody ?? '', {
        ...(MessageGroupId ? { groupId: MessageGroupId } : {}),
        ...(MessageDeduplicationId ? { deduplicationId: MessageDeduplicationId } : {}),
        ...(MessageAttributes ? { attributes: MessageAttributes } : {}),
      });
      return { MessageId: id };
    }
    if (command instanceof SendMessageBatchCommand) return this.sendBatch(command.input);
    if (command instanceof GetQueueAttributesCommand) {
      const queue = this.queue(command.input.QueueUrl ?? '');
      return {
        Attributes: {
          VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
          FifoQueue: String(queue.fifo),
          QueueArn: `arn:aws:sqs:us-east-1:000000000000:${queue.name}`,
          ...(queue.redrivePolicy ? { RedrivePolicy: queue.redrivePolicy } : {}),
        },
      };
    }
    if (command instanceof GetQueueUrlCommand) {
      const queue = [...this.queues.values()].find((candidate) => candidate.name === command.input.QueueName);
      if (!queue) throw Object.assign(new Error('The specified queue does not exist.'), { name: 'QueueDoesNotExist' });
      return { QueueUrl: queue.url };
    }
    throw new Error(`FakeSqsClient does not implement ${name}`);
  }

  destroy(): void {
    for (const wake of this.waiters) wake();
  }

  private async receive(
    input: ReceiveMessageCommand['input'],
    signal: AbortSignal | undefined,
  ): Promise<{ Messages: Message[] }> {
    const deadline = Date.now() + (input.WaitTimeSeconds ?? 0) * 1000;
    for (;;) {
      if (signal?.aborted) throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
      const messages = this.take(input);
      if (messages.length > 0 || Date.now() >= deadline) return { Messages: messages };
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.waiters.delete(done);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, Math.max(1, Math.min(50, deadline - Date.now())));
        this.waiters.add(done);
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  }

  private take(input: ReceiveMessageCommand['input']): Message[] {
    const queue = this.queue(input.QueueUrl ?? '');
    const now = this.clock.now();
    const max = input.MaxNumberOfMessages ?? 1;
    const visibility = input.VisibilityTimeout ?? queue.visibilityTimeoutSeconds;
    const blockedGroups = new Set<string>();
    const taken: StoredMessage[] = [];
    for (const message of queue.messages) {
      if (taken.length >= max) break;
      const inFlight = message.visibleAt > now;
      if (queue.fifo) {
        const group = message.groupId ?? '';
        if (blockedGroups.has(group)) continue;
        if (inFlight) {
          // A group with a message in flight delivers nothing after it.
          blockedGroups.add(group);
          continue;
        }
      } else if (inFlight) {
        continue;
      }
      taken.push(message);
    }
    return taken.map((message) => {
      message.receiveCount += 1;
      message.visibleAt = now + visibility * 1000;
      message.receiptHandle = randomUUID();
      return {
        MessageId: message.id,
        ReceiptHandle: message.receiptHandle,
        Body: message.body,
        MessageAttributes: message.attributes,
        Attributes: {
          ApproximateReceiveCount: String(message.receiveCount),
          ...(message.groupId !== undefined ? { MessageGroupId: message.groupId } : {}),
          ...(message.deduplicationId !== undefined ? { MessageDeduplicationId: message.deduplicationId } : {}),
        },
      };
    });
  }

  private sendBatch(input: SendMessageBatchCommand['input']): unknown {
    const queueUrl = input.QueueUrl ?? '';
    const queue = this.queue(queueUrl);
    const Successful: Array<{ Id: string; MessageId: string }> = [];
    const Failed: Array<{ Id: string; Code: string; SenderFault: boolean; Message: string }> = [];
    const failedGroups = new Set<string>();
    for (const entry of input.Entries ?? []) {
      const id = entry.Id ?? '';
      const body = entry.MessageBody ?? '';
      const group = entry.MessageGroupId;
      const fault =
        this.failSend?.({ id, body, receiptHandle: '' }) ??
        (this.failRestOfGroupAfterSendFailure && group !== undefined && failedGroups.has(group)
          ? 'InternalError'
          : undefined);
      if (fault) {
        if (group !== undefined) failedGroups.add(group);
        Failed.push({ Id: id, Code: fault, SenderFault: false, Message: 'injected fault' });
        continue;
      }
      const dedupId = queue.fifo ? entry.MessageDeduplicationId : undefined;
      const seen = dedupId === undefined ? undefined : queue.deduplication.get(dedupId);
      if (seen && this.clock.now() - seen.at < DEDUPLICATION_WINDOW_MS) {
        Successful.push({ Id: id, MessageId: seen.messageId });
        continue;
      }
      const messageId = this.enqueue(queueUrl, body, {
        ...(group ? { groupId: group } : {}),
        ...(entry.MessageDeduplicationId ? { deduplicationId: entry.MessageDeduplicationId } : {}),
        ...(entry.MessageAttributes ? { attributes: entry.MessageAttributes } : {}),
      });
      if (dedupId !== undefined) queue.deduplication.set(dedupId, { messageId, at: this.clock.now() });
      Successful.push({ Id: id, MessageId: messageId });
    }
    return { Successful, Failed };
  }

  private deleteBatch(input: DeleteMessageBatchCommand['input']): unknown {
    const queue = this.queue(input.QueueUrl ?? '');
    const Successful: Array<{ Id: string }> = [];
    const Failed: Array<{ Id: string; Code: string; SenderFault: boolean; Message: string }> = [];
    for (const entry of input.Entries ?? []) {
      const message = queue.messages.find((candidate) => candidate.receiptHandle === entry.ReceiptHandle);
      const fault =
        message && this.failDelete?.({ id: message.id, body: message.body, receiptHandle: entry.ReceiptHandle ?? '' });
      if (fault) {
        Failed.push({ Id: entry.Id ?? '', Code: fault, SenderFault: false, Message: 'injected fault' });
        continue;
      }
      // Like SQS, a stale receipt handle "succeeds" without deleting anything.
      if (message) queue.messages.splice(queue.messages.indexOf(message), 1);
      Successful.push({ Id: entry.Id ?? '' });
    }
    this.wake();
    return { Successful, Failed };
  }

  private changeVisibilityBatch(input: ChangeMessageVisibilityBatchCommand['input']): unknown {
    const queue = this.queue(input.QueueUrl ?? '');
    const now = this.clock.now();
    const Successful: Array<{ Id: string }> = [];
    const Failed: Array<{ Id: string; Code: string; SenderFault: boolean; Message: string }> = [];
    for (const entry of input.Entries ?? []) {
      const message = queue.messages.find((candidate) => candidate.receiptHandle === entry.ReceiptHandle);
      const fault =
        message === undefined || message.visibleAt <= now
          ? 'ReceiptHandleIsInvalid'
          : this.failExtension?.({ id: message.id, body: message.body, receiptHandle: entry.ReceiptHandle ?? '' });
      if (fault || !message) {
        Failed.push({
          Id: entry.Id ?? '',
          Code: fault ?? 'ReceiptHandleIsInvalid',
          SenderFault: true,
          Message: 'refused',
        });
        continue;
      }
      message.visibleAt = now + (entry.VisibilityTimeout ?? 0) * 1000;
      Successful.push({ Id: entry.Id ?? '' });
    }
    this.wake();
    return { Successful, Failed };
  }

  private queue(url: string): FakeQueue {
    const queue = this.queues.get(url);
    if (!queue)
      throw Object.assign(new Error(`The specified queue does not exist: ${url}`), { name: 'QueueDoesNotExist' });
    return queue;
  }

  private wake(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
