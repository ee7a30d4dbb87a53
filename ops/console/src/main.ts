// The console's process: `node ops/console/dist/main.js` (npm start and compose run it). Configured by the
// environment (config.ts); the SQS client by the SDK's usual variables (AWS_ENDPOINT_URL_SQS, AWS_REGION, ...).
import { errorMessage } from '@sqsref/sqs-transport';
import { readConsoleConfig } from './config.js';
import { startConsole } from './console.js';

try {
  const config = readConsoleConfig(process.env);
  const running = await startConsole(config);
  process.stdout.write(`${JSON.stringify({ level: 'info', msg: 'listening', url: running.url })}\n`);
  const stop = (): void => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  process.stderr.write(`[console] ${errorMessage(error)}\n`);
  process.exit(1);
}
