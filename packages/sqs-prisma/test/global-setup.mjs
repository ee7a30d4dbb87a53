// Jest global setup for this package: makes sure the test Prisma client
// (test/generated/prisma) exists and matches prisma/schema, so the tests also
// run from the root runner on a fresh clone. Takes ~0.1 s when up to date.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function generateTestClient() {
  const script = fileURLToPath(new URL('../scripts/generate-test-client.mjs', import.meta.url));
  const result = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (result.status !== 0)
    throw new Error(
      `Generating the test Prisma client failed (exit ${result.status}); run: npm run generate -w @sqsref/sqs-prisma`,
    );
}
