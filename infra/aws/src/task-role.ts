import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { QueueDefinitions } from '@sqsref/sqs-transport';
import { Construct } from 'constructs';
import { KMS_ACTIONS, sqsAccessOf } from './queue-permissions.js';
import type { Queues } from './queues.js';
import type { ServiceDefinition } from './services.js';

export interface TaskRoleProps {
  service: ServiceDefinition;
  definitions: QueueDefinitions;
  queues: Queues;
  /** The queues' customer-managed key, when there is one. */
  encryptionKey?: kms.IKey;
}

/**
 * A service's ECS task role (what the SDK's default credential chain hands the service on AWS): one statement per
 * queue it uses, with exactly the actions of {@link sqsAccessOf} on exactly that queue's ARN, and `kms:Decrypt` and
 * `kms:GenerateDataKey` on the queues' key when a customer-managed key encrypts them. The statements are written out
 * rather than made with `queue.grant*()`, which would add wider KMS actions (`kms:ReEncrypt*`). Only ECS tasks of this
 * account can assume it.
 */
export class TaskRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: TaskRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      description: `${props.service.name}: its own queues, nothing else`,
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:ecs:${stack.region}:${stack.account}:*` },
        },
      }),
    });
    for (const [name, actions] of sqsAccessOf(props.service, props.definitions)) {
      this.role.addToPolicy(
        new iam.PolicyStatement({
          sid: statementId(name),
          actions,
          resources: [props.queues.get(name).queueArn],
        }),
      );
    }
    if (props.encryptionKey) {
      this.role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'QueueKey',
          actions: [...KMS_ACTIONS],
          resources: [props.encryptionKey.keyArn],
        }),
      );
    }
  }
}

/** `order-events-dlq.fifo` -> `OrderEventsDlqFifo` (statement ids allow letters and digits only). */
function statementId(queue: string): string {
  return queue
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('');
}
