// Generates the Prisma client this package's tests use (test/generated/prisma,
// gitignored) from prisma/schema, offline: Prisma 7's generate needs no engine,
// but its CLI tries to download the native schema engine at startup unless
// PRISMA_SCHEMA_ENGINE_BINARY names an existing file. Skips the work when the
// schema and the Prisma version are unchanged since the last run.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const schemaDir = join(root, 'prisma', 'schema');
const output = join(root, 'test', 'generated', 'prisma');
const stampFile = join(output, '.schema-hash');

const require = createRequire(import.meta.url);
const prismaPackage = require.resolve('prisma/package.json');
const prismaVersion = JSON.parse(readFileSync(prismaPackage, 'utf8')).version;

const hash = createHash('sha256').update(prismaVersion);
for (const file of readdirSync(schemaDir)
  .filter((f) => f.endsWith('.prisma'))
  .sort()) {
  hash.update(file).update(readFileSync(join(schemaDir, file)));
}
const digest = hash.digest('hex');
if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === digest && !process.argv.includes('--force'))
  process.exit(0);

const result = spawnSync(process.execPath, [join(dirname(prismaPackage), 'build', 'index.js'), 'generate'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? prismaPackage,
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stampFile, digest);
