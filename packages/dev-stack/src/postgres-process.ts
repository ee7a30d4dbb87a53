// Runs an embedded PostgreSQL in its own process, so the stack controls when it stops (after the
// services), whatever signal reaches the terminal. IPC in: 'stop'. IPC out: { ready: url } or { error }.
import { startEmbeddedPostgres } from '@sqsref/sqs-prisma/testing';

const log: string[] = [];
try {
  const server = await startEmbeddedPostgres({
    databaseDir: process.env.STACK_PG_DIR ?? '',
    port: Number(process.env.STACK_PG_PORT ?? 5433),
    password: 'postgres',
    listenAddresses: process.env.STACK_PG_LISTEN ?? '127.0.0.1',
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
  process.send?.({ ready: server.url });
} catch (error) {
  process.send?.({ error: `${error instanceof Error ? error.message : String(error)}\n${log.slice(-15).join('')}` });
  process.exit(1);
}
