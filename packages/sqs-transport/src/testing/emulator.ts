import type { SQSClient } from '@aws-sdk/client-sqs';
import { createSqsClient } from '../sqs-client.js';
import type { CreatedQueue, QueueDefinitions } from '../queue-definitions.js';
import { createQueues } from '../queue-definitions.js';

export interface SqsEmulator {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** A client pointed at the emulator. */
  client: SQSClient;
  /** Creates queues (and DLQs with redrive policies) from a definition. */
  createQueues(definitions: QueueDefinitions): Promise<Map<string, CreatedQueue>>;
  stop(): Promise<void>;
}

/**
 * Starts `fauxqs`, a real SQS-API HTTP server, on a free port of 127.0.0.1,
 * for one test suite. Requires the `fauxqs` package (a dev dependency).
 */
export async function startSqsEmulator(): Promise<SqsEmulator> {
  const { startFauxqs } = await import('fauxqs');
  const server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  return sqsEmulatorAt(`http://127.0.0.1:${server.port}`, () => server.stop());
}

/**
 * The {@link SqsEmulator} of an emulator already listening at `endpoint` (e.g. one in a process of its own);
 * `stopServer` stops it, after the client is closed.
 */
export function sqsEmulatorAt(endpoint: string, stopServer: () => Promise<void>): SqsEmulator {
  const client = createSqsClient({ endpoint, region: 'us-east-1' }, {});
  return {
    endpoint,
    client,
    createQueues: (definitions) => createQueues(client, definitions),
    stop: async () => {
      client.destroy();
      await stopServer();
    },
  };
}
