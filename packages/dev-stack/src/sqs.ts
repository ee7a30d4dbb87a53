import type { CreatedQueue } from '@sqsref/sqs-transport';
import { createQueues, createSqsClient } from '@sqsref/sqs-transport';
import { httpUrl } from './bind-host.js';
import { startDurableFauxqs } from './durable-fauxqs.js';
import { readQueueDefinitions } from './repo-paths.js';

export interface SqsHandle {
  endpoint: string;
  /** True when the stack started fauxqs itself. */
  embedded: boolean;
  queues: Map<string, CreatedQueue>;
  stop(): Promise<void>;
}

export interface StartSqsOptions {
  /** Port of the embedded emulator. */
  port: number;
  /** The address the embedded emulator listens on. */
  bindHost: string;
  /** Where the embedded emulator keeps its queues and messages between starts. */
  dataDir: string;
  /** Use this endpoint (LocalStack, AWS) instead of starting the emulator. */
  externalEndpoint?: string | undefined;
}

/**
 * Starts fauxqs on `bindHost:port` with its queues kept in `dataDir`, unless
 * `externalEndpoint` is given, and creates every queue, DLQ and redrive policy
 * of `queuesFile` there (queues kept from an earlier start get the current
 * attributes).
 */
export async function startSqs(queuesFile: string, options: StartSqsOptions): Promise<SqsHandle> {
  const definitions = readQueueDefinitions(queuesFile);
  let stopServer = async (): Promise<void> => undefined;
  let endpoint = options.externalEndpoint;
  if (!endpoint) {
    const server = await startDurableFauxqs({ port: options.port, host: options.bindHost, dataDir: options.dataDir });
    endpoint = httpUrl(options.bindHost, server.port);
    stopServer = () => server.stop();
  }
  const client = createSqsClient({ endpoint });
  try {
    const queues = await createQueues(client, definitions);
    return { endpoint, embedded: !options.externalEndpoint, queues, stop: stopServer };
  } catch (error) {
    await stopServer();
    throw error;
  } finally {
    client.destroy();
  }
}
