#!/usr/bin/env node
// npm start: the whole stack without Docker. `--reset` deletes the embedded databases and queues first; `--json` shows
// the services' raw JSON logs instead of the compact view.
import { parseStackArgs, readStackConfig } from '../config.js';
import { chooseLogView } from '../log-view.js';
import { REPO_ROOT } from '../repo-paths.js';
import { resetStackData, sqsDataDir, startStack } from '../stack.js';

const [major] = process.versions.node.split('.').map(Number);
if ((major ?? 0) < 22) {
  process.stderr.write(`Node ${process.versions.node} is too old: this project needs Node 22 or 24 (see README).\n`);
  process.exit(1);
}

/** Why the database is not under the data directory, when it is not (see postgresDataDir). */
function outsideCheckout(databaseDir: string, dataDir: string): string {
  return databaseDir.startsWith(dataDir)
    ? ''
    : '\n                    (not in the checkout: the "postgres" OS user, which runs PostgreSQL for root, cannot enter it)';
}

try {
  const args = parseStackArgs(process.argv.slice(2));
  const config = readStackConfig(process.env, REPO_ROOT);
  if (args.reset) {
    await resetStackData(config);
    process.stdout.write('[stack] deleted the embedded database and the queues\n');
  }
  process.stdout.write('[stack] starting: SQS, PostgreSQL, order service, shipping service, console...\n');
  const logView = chooseLogView(args.json, process.env);
  const stack = await startStack({ repoRoot: REPO_ROOT, config, logView });
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n[stack] ${signal}: stopping the services, then PostgreSQL and SQS...\n`);
    void stack.stop().then(() => {
      process.stdout.write('[stack] stopped.\n');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const queues = [...stack.sqs.queues.values()].map((queue) => `    ${queue.name}`).join('\n');
  process.stdout.write(
    [
      '',
      'The stack is up.',
      `  order service     ${stack.orderUrl}   (OpenAPI: ${stack.orderUrl}/openapi.json)`,
      `  shipping service  ${stack.shippingUrl}`,
      `  console           ${stack.consoleUrl}   (queues, orders, charts, dead letters)`,
      `  SQS               ${stack.sqs.endpoint}${stack.sqs.embedded ? ` (fauxqs, queues kept in ${sqsDataDir(config)})` : ''}`,
      `  PostgreSQL        ${stack.postgres ? `embedded, data in ${stack.postgres.databaseDir}${outsideCheckout(stack.postgres.databaseDir, config.dataDir)}` : 'as configured'}`,
      `  queues:\n${queues}`,
      '',
      'Place an order:',
      `  curl -s -X POST ${stack.orderUrl}/orders -H 'content-type: application/json' -H 'Idempotency-Key: demo-1' \\`,
      `    -d '{"customerId":"c-1","items":[{"sku":"BOOK-1","quantity":1}],"shippingAddress":{"name":"Ada","line1":"1 Main St","city":"Berlin","postalCode":"10115","country":"DE"}}'`,
      `  curl -s ${stack.orderUrl}/orders/<id>`,
      'Watch a batch: npm run demo.   Stop: Ctrl-C.',
      logView === 'compact'
        ? 'Logs: one line per order step (time, service, order, event, duration); warnings and errors in full. Raw JSON logs: npm start -- --json.'
        : "Logs: the services' JSON lines.",
      '',
    ].join('\n'),
  );
} catch (error) {
  process.stderr.write(`[stack] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
