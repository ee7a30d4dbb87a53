// npm start: the local stack. Today: the SQS emulator (fauxqs) with every queue of infra/queues.json.
// The order and shipping services join it as they are built (see the open issues).
import { readFileSync } from 'node:fs';
import { createQueues, createSqsClient, parseQueueDefinitions } from '@sqsref/sqs-transport';

const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(`Node ${process.versions.node} is too old: this project needs Node 22 or 24 (see README).`);
  process.exit(1);
}

const definitions = parseQueueDefinitions(
  JSON.parse(readFileSync(new URL('../infra/queues.json', import.meta.url), 'utf8')),
);
const externalEndpoint = process.env.AWS_ENDPOINT_URL_SQS;
let server;
let endpoint = externalEndpoint;
if (!externalEndpoint) {
  const { startFauxqs } = await import('fauxqs');
  const port = Number(process.env.SQS_PORT ?? 4566);
  server = await startFauxqs({ port, host: '127.0.0.1', logger: false });
  endpoint = `http://127.0.0.1:${server.port}`;
}
const sqs = createSqsClient({ endpoint });
const created = await createQueues(sqs, definitions);

console.log(`SQS ${server ? 'emulator (fauxqs)' : 'endpoint'}: ${endpoint}`);
for (const queue of created.values()) console.log(`  ${queue.name.padEnd(28)} ${queue.url}`);
console.log(server ? '\nPress Ctrl-C to stop.' : '\nQueues are in place on the given endpoint.');

async function stop() {
  sqs.destroy();
  await server?.stop();
  process.exit(0);
}
if (server) {
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} else {
  sqs.destroy();
}
