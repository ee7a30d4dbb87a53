// Runs fauxqs in its own process, so the consumer under test has a core and an event loop to itself.
import { startFauxqs } from 'fauxqs';

const server = await startFauxqs({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1', logger: false });
process.send?.({ port: server.port });
process.on('message', async (message) => {
  if (message === 'stop') {
    await server.stop();
    process.exit(0);
  }
});
