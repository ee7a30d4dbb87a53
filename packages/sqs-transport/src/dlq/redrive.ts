import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { DeleteMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { createHash } from 'node:crypto';
import { asError } from '../errors.js';
import { integerOption } from '../validate.js';
import type { DeadLetterMessage } from './dead-letter-message.js';
import { readDeadLetter } from './dead-letter-message.js';
import type { DeadLetterQueue } from './dead-letter-queues.js';
import { MoveTaskUnsupportedError, NoSourceQueueError } from './dlq-errors.js';
import { receiveDeadLetters, releaseDeadLetters } from './dlq-receive.js';
import { peekDeadLetters } from './inspect.js';
import { startMoveTask, supportsMoveTask } from './move-task.js';

/** Which messages to redrive. Kinds combine with AND, values of one kind with OR; no kind at all selects every message. */
export interface RedriveSelection {
  /** SQS message ids or envelope ids. */
  ids?: readonly string[];
  /** Envelope types. */
  types?: readonly string[];
  /** Reason codes (`dlq-error-code`); `REDRIVE_POLICY` selects messages SQS's redrive policy moved. */
  errorCodes?: readonly string[];
}

/** How messages go back: `loop` receive -> send -> delete; `move-task` SQS's StartMessageMoveTask; `auto` decides. */
export type RedriveMethod = 'auto' | 'loop' | 'move-task';

export interface RedriveOptions {
  /** The DLQ, from `findDeadLetterQueues`. */
  queue: DeadLetterQueue;
  /** Default: every message. */
  select?: RedriveSelection;
  /** Report what would be sent, send nothing. Default false. */
  dryRun?: boolean;
  /**
   * Default `auto`: StartMessageMoveTask when the endpoint has it, every message is selected, the DLQ is a standard
   * queue and every message in it came from the redrive policy; otherwise the loop. See docs/dlq-redrive.md.
   */
  method?: RedriveMethod;
  /** Most messages to send back in this run, 1 to 1,000,000. Default: no limit. */
  limit?: number;
  /**
   * How long a received message stays hidden while the run holds it (not selected, or behind a held message of its
   * FIFO group), in seconds, 5 to 43,200. Also how long a message stays hidden when the process dies holding it.
   * Default 60.
   */
  holdSeconds?: number;
  /** Long poll of each receive, in seconds, 0 to 20; the run ends at the first receive that brings nothing new. Default 1. */
  waitTimeSeconds?: number;
  /** Called after each message is sent back and deleted from the DLQ (progress output). */
  onMoved?: (message: RedrivenMessage) => void;
  /**
   * Stops the run between two messages (never between a send and its delete); what it holds is released. For
   * Ctrl-C in the CLI and a cancel button in the console. Default: none.
   */
  signal?: AbortSignal;
}

/** A message sent back (or, in a dry run, that would be). */
export interface RedrivenMessage {
  message: DeadLetterMessage;
  /** Where it went (or would go). */
  targetQueueUrl: string;
  /** FIFO: the deduplication id it was sent with, derived from the original (see {@link redriveDeduplicationId}). */
  deduplicationId: string | undefined;
}

/** A selected message that was not sent back; it stays in the DLQ. */
export interface RedriveFailure {
  messageId: string;
  error: Error;
  /** True when the send succeeded but the delete from the DLQ failed: a second redrive may send it again. */
  sent: boolean;
}

export interface RedriveReport {
  method: 'loop' | 'move-task';
  dryRun: boolean;
  /** Sent back and deleted from the DLQ (dry run: would be). */
  moved: RedrivenMessage[];
  failed: RedriveFailure[];
  /** Received but left in the DLQ: not selected, or behind a message of its FIFO group that stayed. */
  kept: number;
  /** Ids of `select.ids` that were not found (not meaningful when `interrupted`). */
  notFound: string[];
  /** True when `signal` stopped the run before the DLQ was gone through. */
  interrupted: boolean;
  /** Set for `move-task`: the task SQS runs on its own (follow it with ListMessageMoveTasks). */
  moveTask?: { taskHandle: string; sourceArn: string; destinationArn: string | undefined };
}

/** The error code that selects messages without a reason attribute (moved by SQS's redrive policy). */
export const REDRIVE_POLICY_CODE = 'REDRIVE_POLICY';

/**
 * Sends DLQ messages back to their source queue: the `dlq-source-queue` attribute, else the queue whose redrive
 * policy targets the DLQ. The loop deletes a message from the DLQ only after its send succeeded, so a crash at any
 * point leaves it in the DLQ, or in both queues (then a second run sends it again with the same deduplication id:
 * FIFO drops it within SQS's 5-minute window, and the consumer's inbox absorbs it after). On FIFO queues each message
 * keeps its group id and is never sent ahead of an earlier message of its group that stays in the DLQ.
 */
export async function redrive(sqs: SQSClient, options: RedriveOptions): Promise<RedriveReport> {
  const settings = {
    holdSeconds: integerOption('holdSeconds', options.holdSeconds, 60, 5, 43_200),
    waitTimeSeconds: integerOption('waitTimeSeconds', options.waitTimeSeconds, 1, 0, 20),
    limit: integerOption('limit', options.limit, Number.MAX_SAFE_INTEGER, 1, Number.MAX_SAFE_INTEGER),
  };
  const method = options.method ?? 'auto';
  if (method !== 'loop' && !options.dryRun && (await chooseMoveTask(sqs, options, method))) {
    const task = await startMoveTask(sqs, options.queue);
    return {
      method: 'move-task',
      dryRun: false,
      moved: [],
      failed: [],
      kept: 0,
      notFound: [],
      interrupted: false,
      moveTask: task,
    };
  }
  return redriveLoop(sqs, options, settings);
}

/**
 * The deduplication id of a redriven FIFO message: a hash of its original deduplication id and its DLQ message id.
 * Stable across runs, so a second run (after a crash between send and delete) is dropped by SQS; different from the
 * original, so SQS does not drop the redrive as a duplicate of the original send when both fall in one window.
 */
export function redriveDeduplicationId(message: Pick<DeadLetterMessage, 'messageId' | 'deduplicationId'>): string {
  return createHash('sha256')
    .update(`redrive\n${message.deduplicationId ?? ''}\n${message.messageId}`)
    .digest('hex');
}

/** Whether `message` is selected. */
export function isSelected(message: DeadLetterMessage, select: RedriveSelection = {}): boolean {
  const { ids, types, errorCodes } = select;
  if (ids?.length && !ids.some((id) => id === message.messageId || id === message.envelope?.id)) return false;
  if (types?.length && !types.includes(message.envelope?.type ?? '')) return false;
  if (errorCodes?.length && !errorCodes.includes(message.reason?.errorCode ?? REDRIVE_POLICY_CODE)) return false;
  return true;
}

async function chooseMoveTask(sqs: SQSClient, options: RedriveOptions, method: RedriveMethod): Promise<boolean> {
  const selects = Boolean(
    options.select?.ids?.length || options.select?.types?.length || options.select?.errorCodes?.length,
  );
  if (method === 'move-task') {
    if (selects || options.limit !== undefined) {
      throw new MoveTaskUnsupportedError('a move task moves every message, and this redrive selects some');
    }
    return true; // startMoveTask reports an endpoint without the action
  }
  if (selects || options.limit !== undefined || options.queue.fifo) return false;
  if (!(await supportsMoveTask(sqs, options.queue))) return false;
  // Only messages SQS moved itself carry what StartMessageMoveTask needs; one moved by the transport goes by the loop.
  const sample = await peekDeadLetters(sqs, options.queue.url, { max: 1_000 });
  return sample.every((message) => message.origin === 'redrive-policy');
}

interface LoopSettings {
  holdSeconds: number;
  waitTimeSeconds: number;
  limit: number;
}

async function redriveLoop(sqs: SQSClient, options: RedriveOptions, settings: LoopSettings): Promise<RedriveReport> {
  const { queue } = options;
  const report: RedriveReport = {
    method: 'loop',
    dryRun: options.dryRun === true,
    moved: [],
    failed: [],
    kept: 0,
    notFound: [],
    interrupted: false,
  };
  const held: Message[] = [];
  const seen = new Set<string>();
  const found = new Set<string>();
  /** FIFO groups with a message that stays: nothing later of theirs may go ahead of it. */
  const blockedGroups = new Set<string>();
  const keep = (message: Message, dead: DeadLetterMessage): void => {
    held.push(message);
    if (dead.groupId !== undefined) blockedGroups.add(dead.groupId);
  };
  try {
    while (report.moved.length < settings.limit && !options.signal?.aborted) {
      const batch = await receiveDeadLetters(sqs, queue.url, settings);
      const fresh = batch.filter((message) => !seen.has(message.MessageId ?? ''));
      for (const message of batch) if (seen.has(message.MessageId ?? '')) held.push(message);
      if (fresh.length === 0) break; // empty, or everything left came round again
      for (const message of fresh) {
        seen.add(message.MessageId ?? '');
        const dead = readDeadLetter(message);
        const selected = isSelected(dead, options.select);
        if (selected) {
          found.add(dead.messageId);
          if (dead.envelope) found.add(dead.envelope.id);
        }
        const blocked = dead.groupId !== undefined && blockedGroups.has(dead.groupId);
        if (!selected || blocked || report.moved.length >= settings.limit || options.signal?.aborted) {
          report.kept += 1;
          keep(message, dead);
          continue;
        }
        if (options.dryRun) {
          report.moved.push(plan(dead, queue));
          held.push(message);
          continue;
        }
        const redriven = plan(dead, queue);
        if (!redriven.targetQueueUrl) {
          report.failed.push({
            messageId: dead.messageId,
            error: new NoSourceQueueError(dead.messageId, queue.name),
            sent: false,
          });
          keep(message, dead);
          continue;
        }
        try {
          await sendBack(sqs, redriven);
        } catch (error) {
          report.failed.push({ messageId: dead.messageId, error: asError(error), sent: false });
          keep(message, dead);
          continue;
        }
        try {
          await sqs.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: message.ReceiptHandle }));
        } catch (error) {
          // Sent but still in the DLQ: released with the rest; a second run resends it with the same deduplication id.
          report.failed.push({ messageId: dead.messageId, error: asError(error), sent: true });
          held.push(message);
          continue;
        }
        report.moved.push(redriven);
        options.onMoved?.(redriven);
      }
    }
  } finally {
    await releaseDeadLetters(sqs, queue.url, held);
  }
  report.notFound = (options.select?.ids ?? []).filter((id) => !found.has(id));
  report.interrupted = options.signal?.aborted === true;
  return report;
}

function plan(message: DeadLetterMessage, queue: DeadLetterQueue): RedrivenMessage {
  return {
    message,
    targetQueueUrl: message.reason?.sourceQueueUrl || queue.source?.url || '',
    deduplicationId: queue.fifo ? redriveDeduplicationId(message) : undefined,
  };
}

async function sendBack(sqs: SQSClient, redriven: RedrivenMessage): Promise<void> {
  const { message } = redriven;
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: redriven.targetQueueUrl,
      MessageBody: message.body,
      ...(Object.keys(message.attributes).length > 0 ? { MessageAttributes: message.attributes } : {}),
      ...(redriven.deduplicationId !== undefined
        ? { MessageGroupId: message.groupId ?? message.messageId, MessageDeduplicationId: redriven.deduplicationId }
        : {}),
    }),
  );
}
