#!/usr/bin/env node
// `npm run dlq -- <command>`: builds what the command needs, then runs it. `list`, `show` and `redrive` are the SQS
// transport's `sqs-dlq` (no Prisma); `outbox` is @sqsref/sqs-prisma's `sqs-prisma-outbox` (parked outbox rows).
// The build is quiet unless it fails, so `--json` output stays clean.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
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
const run = spawnSync(process.execPath, ['--no-warnings', join(root, bin), ...(outbox ? args.slice(1) : args)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
