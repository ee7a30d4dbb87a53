// Runs an SQS emulator (fauxqs) in its own process, so whatever drives it (a benchmark's consumer) has a core and an
// event loop to itself, and so it can be killed and paused as a whole (the chaos suite). Arguments: none for an
// in-memory emulator on a free port, or `<dataDir> <port>` for the durable one (queues and messages kept in SQLite
// under dataDir, on 127.0.0.1:<port>). IPC in: 'stop'. IPC out: { ready: endpoint } or { error }.
import { startSqsEmulator } from '@sqsref/sqs-transport/testing';
import { startDurableFauxqs } from './durable-fauxqs.js';

async function start(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const [dataDir, port] = process.argv.slice(2);
  if (dataDir === undefined) return startSqsEmulator();
  const server = await startDurableFauxqs({ dataDir, port: Number(port ?? 0), host: '127.0.0.1' });
  return { endpoint: `http://127.0.0.1:${server.port}`, stop: () => server.stop() };
}

try {
  const emulator = await start();
  let stopping: Promise<void> | undefined;
  const stop = (): void => {
    stopping ??= emulator.stop().finally(() => process.exit(0));
  };
  process.on('message', (message) => {
    if (message === 'stop') stop();
  });
  process.on('disconnect', stop); // the parent died: do not leave the emulator behind
  process.send?.({ ready: emulator.endpoint });
} catch (error) {
  process.send?.({ error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
