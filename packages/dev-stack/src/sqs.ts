import { readFile } from 'node:fs/promises';
import type { CreatedQueue } from '@sqsref/sqs-transport';
import { createQueues, createSqsClient, parseQueueDefinitions } from '@sqsref/sqs-transport';

export interface SqsHandle {
  endpoint: string;
  /** True when the stack started fauxqs itself. */
  embedded: boolean;
  queues: Map<string, CreatedQueue>;
  stop(): Promise<void>;
}

/**
 * Starts fauxqs on 127.0.0.1:`port`, unless `externalEndpoint` is given, and
 * creates every queue, DLQ and redrive policy of `queuesFile` there.
 */
export async function startSqs(queuesFile: string, port: number, externalEndpoint?: string): Promise<SqsHandle> {
  const definitions = parseQueueDefinitions(JSON.parse(await readFile(queuesFile, 'utf8')));
  let stopServer = async (): Promise<void> => undefined;
  let endpoint = externalEndpoint;
  if (!endpoint) {
    const { startFauxqs } = await import('fauxqs');
    const server = await startFauxqs({ port, host: '127.0.0.1', logger: false }).catch((error: unknown) => {
      throw new Error(
        `Could not start the SQS emulator on port ${port} (${String(error)}). Is the port free? Set SQS_PORT.`,
        { cause: error },
      );
    });
    endpoint = `http://127.0.0.1:${server.port}`;
    stopServer = () => server.stop();
  }
  const client = createSqsClient({ endpoint });
  try {
    const queues = await createQueues(client, definitions);
    return { endpoint, embedded: !externalEndpoint, queues, stop: stopServer };
  } finally {
    client.destroy();
  }
}
