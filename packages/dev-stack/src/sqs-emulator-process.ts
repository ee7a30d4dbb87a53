// Runs an in-memory SQS emulator (fauxqs, as in the tests) in its own process, so whatever drives it (a benchmark's
// consumer) has a core and an event loop to itself. IPC in: 'stop'. IPC out: { ready: endpoint } or { error }.
import { startSqsEmulator } from '@sqsref/sqs-transport/testing';

try {
  const emulator = await startSqsEmulator();
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
