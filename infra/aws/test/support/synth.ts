import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { QueueDefinitions } from '@sqsref/sqs-transport';
import { createApp } from '../../src/app.js';
import { ENVIRONMENTS_CONTEXT_KEY } from '../../src/environment-config.js';
import type { SqsRefStack } from '../../src/sqsref-stack.js';

export interface Synthesized {
  /** The cloud assembly's folder. */
  outdir: string;
  stacks: Map<string, SqsRefStack>;
  templates: Map<string, Template>;
  /** Removes the cloud assembly (staged assets included). */
  cleanup(): void;
}

/**
 * Synthesizes the app in process with the given environments, into a temporary folder (never the default
 * `cdk.out`), once per test file: the templates are shared by its tests.
 */
export function synthesize(environments: Record<string, unknown>, definitions?: QueueDefinitions): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'sqsref-cdk-test-'));
  const { app, stacks } = createApp({
    outdir,
    context: { [ENVIRONMENTS_CONTEXT_KEY]: environments },
    ...(definitions ? { definitions } : {}),
  });
  app.synth();
  return {
    outdir,
    stacks: new Map(stacks.map((stack) => [stack.config.name, stack])),
    templates: new Map(stacks.map((stack) => [stack.config.name, Template.fromStack(stack)])),
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** The template's resources of one type, by logical id. */
export function resourcesOf(
  template: Template,
  type: string,
): Array<[string, { Properties: Record<string, unknown> }]> {
  return Object.entries(template.findResources(type)) as Array<[string, { Properties: Record<string, unknown> }]>;
}

/** The queue names (`QueueName`) the template defines. */
export function queueNamesOf(template: Template): string[] {
  return resourcesOf(template, 'AWS::SQS::Queue').map(([, queue]) => String(queue.Properties.QueueName));
}

/** The queues of the definitions (and their DLQs) that the template does not define, by name. */
export function queuesMissingFrom(template: Template, definitions: QueueDefinitions): string[] {
  const defined = new Set(queueNamesOf(template));
  return definitions.queues
    .flatMap((queue) => [queue.name, ...(queue.deadLetter ? [queue.deadLetter.name] : [])])
    .filter((name) => !defined.has(name));
}
