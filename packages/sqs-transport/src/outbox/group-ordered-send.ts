import type { SQSClient } from '@aws-sdk/client-sqs';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { groupBy } from '../batches.js';
import { errorMessage, SendFailedError } from '../errors.js';
import type { OutgoingMessage } from '../producer/batcher.js';
import { isSenderFault, toBatchEntry } from '../producer/batcher.js';
import { SQS_MAX_BATCH_ENTRIES } from '../sqs-limits.js';

/**
 * One claimed outbox row to send, in claim order. `groupKey` orders it: rows with the same key leave in the given
 * order, and none leaves ahead of an earlier one of its key that failed. Null: independent of every other row.
 */
export type OrderedItem = { id: string; groupKey: string | null } & (
  | { message: OutgoingMessage; size: number }
  /** The row cannot be sent as it is (its queue cannot be resolved, it is too large): it fails without a call. */
  | { error: Error }
);

/** What became of one item. */
export type OrderedOutcome =
  | { status: 'sent' }
  | { status: 'failed'; error: Error }
  /**
   * Not sent, or not counted as sent: an earlier item of its group (`behind`) failed. `acceptedBySqs`: SQS took it in
   * the same batch call all the same (SQS reports each entry on its own), so it is on the queue ahead of `behind`.
   */
  | { status: 'held'; behind: string; acceptedBySqs: boolean };

interface Batch {
  queueUrl: string;
  items: Array<OrderedItem & { message: OutgoingMessage; size: number }>;
}

/**
 * Sends items with `SendMessageBatch` without ever letting a later item of a group go ahead of an earlier one:
 *
 * - each queue's items are cut into batches of up to 10 entries and `maxBatchBytes`, a group's items together and in
 *   order, so consecutive items of one group share a call (SQS enqueues a FIFO batch's entries in their order);
 * - batches that share no group are in flight at once; a batch waits for the answer to every earlier batch that
 *   carries one of its groups;
 * - once an item of a group fails, every later item of that group is held: removed from batches not yet sent, and
 *   not counted as sent when the same call accepted it. A call that fails as a whole fails each group's first item
 *   and holds the rest (SQS may have taken some: a resend with the same deduplication id is dropped by SQS).
 *
 * Resolves with every item's outcome; never rejects.
 */
export async function sendInGroupOrder(
  sqs: SQSClient,
  items: readonly OrderedItem[],
  maxBatchBytes: number,
): Promise<Map<string, OrderedOutcome>> {
  const outcomes = new Map<string, OrderedOutcome>();
  /** Group key to the id of its first failed item. */
  const broken = new Map<string, string>();
  const fail = (item: OrderedItem, error: Error): void => {
    outcomes.set(item.id, { status: 'failed', error });
    if (item.groupKey !== null) broken.set(item.groupKey, item.id);
  };
  const holdIfBroken = (item: OrderedItem, acceptedBySqs: boolean): boolean => {
    const behind = item.groupKey === null ? undefined : broken.get(item.groupKey);
    if (behind === undefined) return false;
    outcomes.set(item.id, { status: 'held', behind, acceptedBySqs });
    return true;
  };

  const sendable: Batch['items'] = [];
  for (const item of items) {
    if (holdIfBroken(item, false)) continue;
    if ('error' in item) fail(item, item.error);
    else sendable.push(item);
  }

  const sendBatch = async ({ queueUrl, items: planned }: Batch): Promise<void> => {
    const batch = planned.filter((item) => !holdIfBroken(item, false));
    if (batch.length === 0) return;
    let answer: { successful: Set<string>; failed: Map<string, Error> };
    try {
      const result = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((item, index) => toBatchEntry(item.message, String(index))),
        }),
      );
      answer = {
        successful: new Set((result.Successful ?? []).map((entry) => entry.Id ?? '')),
        failed: new Map(
          (result.Failed ?? []).map((entry) => [
            entry.Id ?? '',
            new SendFailedError(queueUrl, entry.Code, entry.Message ?? 'refused', {
              senderFault: entry.SenderFault === true,
            }),
          ]),
        ),
      };
    } catch (error) {
      const failure = new SendFailedError(
        queueUrl,
        error instanceof Error ? error.name : undefined,
        errorMessage(error),
        {
          cause: error,
          senderFault: isSenderFault(error),
        },
      );
      answer = { successful: new Set(), failed: new Map(batch.map((_, index) => [String(index), failure])) };
    }
    batch.forEach((item, index) => {
      const accepted = answer.successful.has(String(index));
      if (holdIfBroken(item, accepted)) return;
      if (accepted) outcomes.set(item.id, { status: 'sent' });
      else
        fail(
          item,
          answer.failed.get(String(index)) ?? new SendFailedError(queueUrl, undefined, 'no result for the entry'),
        );
    });
  };

  /** The last batch carrying each group, so the next one of that group waits for its answer. */
  const lastOfGroup = new Map<string, Promise<void>>();
  const calls = planBatches(sendable, maxBatchBytes).map((batch) => {
    const groups = new Set(batch.items.flatMap((item) => (item.groupKey === null ? [] : [item.groupKey])));
    const before = [...groups].flatMap((group) => lastOfGroup.get(group) ?? []);
    const call = Promise.all(before).then(() => sendBatch(batch));
    for (const group of groups) lastOfGroup.set(group, call);
    return call;
  });
  await Promise.all(calls);
  return outcomes;
}

/**
 * Each queue's items in batches of up to 10 entries and `maxBatchBytes` bytes. A group's items stay together and in
 * order: a group with up to 10 items shares one batch with other groups rather than being cut across two (which would
 * make the second wait for the first), and a longer group fills batches of its own, one after another.
 */
function planBatches(items: Batch['items'], maxBatchBytes: number): Batch[] {
  const batches: Batch[] = [];
  for (const [queueUrl, queued] of groupBy(items, (item) => item.message.queueUrl)) {
    let current: Batch = { queueUrl, items: [] };
    let bytes = 0;
    const startBatch = (): void => {
      if (current.items.length > 0) batches.push(current);
      current = { queueUrl, items: [] };
      bytes = 0;
    };
    for (const run of groupBy(queued, (item) => item.groupKey ?? `\u0000${item.id}`).values()) {
      for (const piece of pieces(run, maxBatchBytes)) {
        const pieceBytes = piece.reduce((sum, item) => sum + item.size, 0);
        if (current.items.length + piece.length > SQS_MAX_BATCH_ENTRIES || bytes + pieceBytes > maxBatchBytes) {
          startBatch();
        }
        current.items.push(...piece);
        bytes += pieceBytes;
      }
    }
    startBatch();
  }
  return batches;
}

/** A group's items, in order, cut into pieces that each fit one batch. */
function pieces(run: Batch['items'], maxBatchBytes: number): Array<Batch['items']> {
  const cut: Array<Batch['items']> = [];
  let piece: Batch['items'] = [];
  let bytes = 0;
  for (const item of run) {
    if (piece.length > 0 && (piece.length >= SQS_MAX_BATCH_ENTRIES || bytes + item.size > maxBatchBytes)) {
      cut.push(piece);
      piece = [];
      bytes = 0;
    }
    piece.push(item);
    bytes += item.size;
  }
  if (piece.length > 0) cut.push(piece);
  return cut;
}
