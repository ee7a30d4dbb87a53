import type { AddressInfo } from 'node:net';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createSqsClient } from '@sqsref/sqs-transport';
import { ChartSampler } from './charts.js';
import type { ConsoleConfig } from './config.js';
import { ConsoleApi } from './console-api.js';
import { createConsoleServer } from './http-server.js';
import { OrderFeed } from './order-feed.js';
import { queueDepth } from '@sqsref/sqs-transport/dlq';
import { QueueDirectory, readQueuesFile } from './queues.js';
import { createRedriver } from './redrive.js';

export interface RunningConsole {
  /** e.g. `http://127.0.0.1:3002`. */
  url: string;
  close(): Promise<void>;
}

/** Starts the console's server with its chart sampler; `sqs` defaults to a client from the environment. */
export async function startConsole(config: ConsoleConfig, sqs: SQSClient = createSqsClient()): Promise<RunningConsole> {
  const directory = new QueueDirectory(sqs, readQueuesFile(config.queuesFile));
  const orders = new OrderFeed(config.orderUrl);
  const charts = new ChartSampler({
    services: { order: config.orderUrl, shipping: config.shippingUrl },
    timelines: () => orders.latest(),
  });
  const api = new ConsoleApi(sqs, directory, orders, charts, createRedriver(sqs, directory));
  const ready = async (): Promise<boolean> => {
    const first = directory.queues[0];
    if (first) await queueDepth(sqs, await directory.url(first.name));
    return true;
  };
  const server = createConsoleServer(api, ready);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const stopSampling = charts.start(config.sampleMs);
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    close: async () => {
      stopSampling();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
