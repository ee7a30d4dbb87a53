// Runs an embedded PostgreSQL in its own process, so the stack controls when it stops (after the
// services), whatever signal reaches the terminal. IPC in: 'stop'. IPC out: { ready: url } or { error }.
import { startEmbeddedPostgres } from '@sqsref/sqs-prisma/testing';
import { connectHost } from './bind-host.js';

const host = process.env.STACK_PG_HOST ?? '127.0.0.1';
const log: string[] = [];
try {
  const server = await startEmbeddedPostgres({
    databaseDir: process.env.STACK_PG_DIR ?? '',
    port: Number(process.env.STACK_PG_PORT ?? 5433),
    password: 'postgres',
    listenAddresses: host,
    persistent: true,
    onLog: (text) => log.push(text),
  });
  let stopping: Promise<void> | undefined;
  const stop = (): void => {
    stopping ??= server.stop().finally(() => process.exit(0));
  };
  process.on('message', (message) => {
    if (message === 'stop') stop();
  });
  process.on('disconnect', stop); // the stack process died: do not leave PostgreSQL behind
  const url = new URL(server.url);
  url.hostname = connectHost(host);
  process.send?.({ ready: url.toString() });
} catch (error) {
  process.send?.({ error: `${error instanceof Error ? error.message : String(error)}\n${log.slice(-15).join('')}` });
  process.exit(1);
}
