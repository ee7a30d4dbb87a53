import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { QueueDefinition, QueueDefinitions } from '@sqsref/sqs-transport';
import { Construct } from 'constructs';

/** Retention of every DLQ: SQS's maximum, so a parked message waits as long as it can for someone to look. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/** Long polling on every queue: a receive that names no wait time still waits up to 20 s (SQS's maximum). */
export const RECEIVE_WAIT_TIME = Duration.seconds(20);

export interface QueuesProps {
  definitions: QueueDefinitions;
  /** The customer-managed key of every queue; without it, SQS-managed encryption (SSE-SQS). */
  encryptionKey?: kms.IKey;
  /** What happens to the queues when the stack is deleted. */
  removalPolicy: RemovalPolicy;
}

/** A source queue of `infra/queues.json` and its DLQ, as deployed. */
export interface DeployedQueue {
  definition: QueueDefinition;
  queue: sqs.Queue;
  deadLetterQueue?: sqs.Queue;
}

/**
 * Every queue, DLQ and redrive policy of `infra/queues.json`, under the file's names (the services look queues up by
 * name). Each queue is encrypted at rest (SSE-SQS, or the given KMS key), refuses any request not made over TLS (a
 * queue policy denying `aws:SecureTransport: false`), and long-polls by default. FIFO queues take their
 * deduplication id from the sender (content-based deduplication off: the envelope id is the deduplication id) and run
 * in high-throughput mode (deduplication per message group, throughput limit per group).
 */
export class Queues extends Construct {
  /** Source queues in file order, each with its DLQ. */
  readonly deployed: DeployedQueue[] = [];
  /** Every queue and DLQ by name. */
  readonly byName = new Map<string, sqs.Queue>();

  constructor(scope: Construct, id: string, props: QueuesProps) {
    super(scope, id);
    for (const definition of props.definitions.queues) {
      const deadLetter = definition.deadLetter;
      const deadLetterQueue = deadLetter
        ? this.queue(deadLetter.name, props, { retentionPeriod: DEAD_LETTER_RETENTION })
        : undefined;
      const queue = this.queue(definition.name, props, {
        visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds ?? 30),
        retentionPeriod: Duration.seconds(definition.messageRetentionSeconds ?? 1_209_600),
        contentBasedDeduplication: definition.contentBasedDeduplication,
        ...(deadLetter && deadLetterQueue
          ? { deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: deadLetter.maxReceiveCount } }
          : {}),
      });
      this.deployed.push({ definition, queue, ...(deadLetterQueue ? { deadLetterQueue } : {}) });
    }
  }

  /** A queue or DLQ by name; throws when the file does not define it. */
  get(name: string): sqs.Queue {
    const queue = this.byName.get(name);
    if (!queue) throw new Error(`No queue "${name}" in the queue definitions.`);
    return queue;
  }

  private queue(
    name: string,
    props: QueuesProps,
    settings: Pick<
      sqs.QueueProps,
      'visibilityTimeout' | 'retentionPeriod' | 'contentBasedDeduplication' | 'deadLetterQueue'
    >,
  ): sqs.Queue {
    const existing = this.byName.get(name);
    if (existing) return existing; // a DLQ shared by several queues
    const fifo = name.endsWith('.fifo');
    const queue = new sqs.Queue(this, name.replace(/\.fifo$/, '').replace(/[^A-Za-z0-9]/g, '-'), {
      queueName: name,
      ...settings,
      receiveMessageWaitTime: RECEIVE_WAIT_TIME,
      enforceSSL: true,
      removalPolicy: props.removalPolicy,
      ...(props.encryptionKey
        ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: props.encryptionKey }
        : { encryption: sqs.QueueEncryption.SQS_MANAGED }),
      ...(fifo
        ? {
            fifo: true,
            contentBasedDeduplication: settings.contentBasedDeduplication ?? false,
            deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
            fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
          }
        : {}),
    });
    this.byName.set(name, queue);
    return queue;
  }
}
