#!/usr/bin/env node
// `npm run dlq -- <command>`: builds what the command needs, then runs it. `list`, `show` and `redrive` are the SQS
// transport's `sqs-dlq` (no Prisma); `outbox` is @sqsref/sqs-prisma's `sqs-prisma-outbox` (parked outbox rows).
// Defaults: the SQS endpoint of a running `npm start` (its .data/stack.json) when none is configured; for `outbox`,
// the services' databases from ORDER_DATABASE_URL and SHIPPING_DATABASE_URL. The build is quiet unless it fails.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outbox = args[0] === 'outbox';
const workspace = outbox ? '@sqsref/sqs-prisma' : '@sqsref/sqs-transport';
const bin = outbox ? 'packages/sqs-prisma/dist/bin/sqs-prisma-outbox.js' : 'packages/sqs-transport/dist/bin/sqs-dlq.js';

const build = spawnSync(
  process.execPath,
  [join(root, 'node_modules/turbo/bin/turbo'), 'run', 'build', `--filter=${workspace}`, '--output-logs=errors-only'],
  { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } },
);
if (build.status !== 0) {
  process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}`);
  console.error(`error [BUILD]: building ${workspace} failed (see above)`);
  process.exit(1);
}

const env = { ...process.env };
const commandArgs = outbox ? args.slice(1) : [...args];
if (outbox && !commandArgs.some((arg) => arg === '--database' || arg.startsWith('--database='))) {
  for (const [name, variable] of [
    ['order', 'ORDER_DATABASE_URL'],
    ['shipping', 'SHIPPING_DATABASE_URL'],
  ]) {
    if (env[variable]) commandArgs.push('--database', `${name}=${env[variable]}`);
  }
}
if (!outbox && !env.AWS_ENDPOINT_URL_SQS && !env.AWS_ENDPOINT_URL && !commandArgs.includes('--endpoint')) {
  const endpoint = runningStackEndpoint();
  if (endpoint) env.AWS_ENDPOINT_URL_SQS = endpoint;
}

const run = spawnSync(process.execPath, ['--no-warnings', join(root, bin), ...commandArgs], {
  cwd: root,
  stdio: 'inherit',
  env,
});
process.exit(run.status ?? 1);

/** The SQS endpoint a running `npm start` recorded, if its process is alive. */
function runningStackEndpoint() {
  try {
    const file = join(resolve(root, env.STACK_DATA_DIR || '.data'), 'stack.json');
    const record = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof record.sqsEndpoint !== 'string' || !Number.isInteger(record.pid)) return undefined;
    process.kill(record.pid, 0);
    return record.sqsEndpoint;
  } catch {
    return undefined; // no stack running: the usual SDK configuration applies
  }
}
