import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import type { DeadLetterQueue } from './dead-letter-queues.js';
import { MoveTaskUnsupportedError } from './dlq-errors.js';

/**
 * SQS's own redrive: `StartMessageMoveTask` moves a DLQ's messages inside SQS, back to the queues SQS's redrive
 * policy took them from (or to one destination). fauxqs 2.4.1 has no such action (it answers `InvalidAction`).
 */

/** Whether the endpoint lets us use the message move task actions: asks `ListMessageMoveTasks`, which changes nothing. */
export async function supportsMoveTask(sqs: SQSClient, queue: DeadLetterQueue): Promise<boolean> {
  try {
    await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: await queueArn(sqs, queue.url), MaxResults: 1 }));
    return true;
  } catch {
    // Not there (fauxqs: InvalidAction), or not allowed (an IAM policy without sqs:ListMessageMoveTasks): the loop.
    return false;
  }
}

/**
 * Starts a move task from the DLQ to its source queue (the definitions' one; else each message's original source,
 * as SQS recorded it). Returns the task handle; SQS moves the messages on its own, at its own pace.
 */
export async function startMoveTask(
  sqs: SQSClient,
  queue: DeadLetterQueue,
): Promise<{ taskHandle: string; sourceArn: string; destinationArn: string | undefined }> {
  const sourceArn = await queueArn(sqs, queue.url);
  const destinationArn = queue.source ? await queueArn(sqs, queue.source.url) : undefined;
  try {
    const { TaskHandle } = await sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: sourceArn,
        ...(destinationArn ? { DestinationArn: destinationArn } : {}),
      }),
    );
    return { taskHandle: TaskHandle ?? '', sourceArn, destinationArn };
  } catch (error) {
    if (isUnsupported(error))
      throw new MoveTaskUnsupportedError('the endpoint has no StartMessageMoveTask', { cause: error });
    throw error;
  }
}

async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  return Attributes?.QueueArn ?? '';
}

/** The answers of endpoints without the action: fauxqs `InvalidAction`, others `UnsupportedOperation` / 501. */
function isUnsupported(error: unknown): boolean {
  const failure = error as { name?: unknown; $metadata?: { httpStatusCode?: number } } | null;
  const name = typeof failure?.name === 'string' ? failure.name : '';
  return (
    /(InvalidAction|UnsupportedOperation|UnknownOperation|NotImplemented)$/.test(name) ||
    failure?.$metadata?.httpStatusCode === 501
  );
}
