import type { AppProps } from 'aws-cdk-lib';
import { App } from 'aws-cdk-lib';
import type { QueueDefinitions } from '@sqsref/sqs-transport';
import { ENVIRONMENTS_CONTEXT_KEY, parseEnvironments } from './environment-config.js';
import { readQueueDefinitions } from './queue-definitions-file.js';
import { SqsRefStack } from './sqsref-stack.js';

export interface SqsRefApp {
  app: App;
  /** One stack per environment of the context, in its order. */
  stacks: SqsRefStack[];
}

/**
 * The CDK app: one {@link SqsRefStack} per environment of the context key `sqsref:environments`, all from the same
 * queue definitions (`infra/queues.json` unless given).
 */
export function createApp(props: AppProps & { definitions?: QueueDefinitions } = {}): SqsRefApp {
  const { definitions = readQueueDefinitions(), ...appProps } = props;
  const app = new App(appProps);
  const stacks = parseEnvironments(app.node.tryGetContext(ENVIRONMENTS_CONTEXT_KEY)).map(
    (environment) =>
      new SqsRefStack(app, environment.stackName, { environment, definitions, stackName: environment.stackName }),
  );
  return { app, stacks };
}
