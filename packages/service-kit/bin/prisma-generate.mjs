#!/usr/bin/env node
// sqsref-prisma-generate: generates a service's Prisma client offline. Run it in the service's folder (its
// `generate` script does): `prisma generate` with the service's prisma.config.ts. Prisma 7's generate needs no
// engine, but its CLI tries to download the native schema engine at startup unless PRISMA_SCHEMA_ENGINE_BINARY
// names an existing file, so it is pointed at one. Skips the work when the schema and Prisma's version are
// unchanged since the last run (a stamp in the output folder); `--force` regenerates.
//
// Options: --schema <file or folder> (default prisma/schema.prisma), --output <folder> (default src/generated/prisma;
// must match the generator's `output` in the schema), --force.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 && args[index + 1] ? args[index + 1] : fallback;
};
const cwd = process.cwd();
const schema = resolve(cwd, option('--schema', 'prisma/schema.prisma'));
const output = resolve(cwd, option('--output', 'src/generated/prisma'));
const stampFile = join(output, '.schema-hash');

if (!existsSync(schema)) {
  console.error(
    `sqsref-prisma-generate: no Prisma schema at ${schema} (run it in the service's folder, or pass --schema).`,
  );
  process.exit(2);
}

const require = createRequire(join(cwd, 'package.json'));
const prismaPackage = require.resolve('prisma/package.json');
const prismaVersion = JSON.parse(readFileSync(prismaPackage, 'utf8')).version;

const schemaFiles = statSync(schema).isDirectory()
  ? readdirSync(schema)
      .filter((file) => file.endsWith('.prisma'))
      .sort()
      .map((file) => join(schema, file))
  : [schema];
const hash = createHash('sha256').update(prismaVersion);
for (const file of schemaFiles) hash.update(file.slice(cwd.length)).update(readFileSync(file));
const digest = hash.digest('hex');
if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === digest && !args.includes('--force')) process.exit(0);

const result = spawnSync(process.execPath, [join(dirname(prismaPackage), 'build', 'index.js'), 'generate'], {
  cwd,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? prismaPackage,
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
if (result.status !== 0) process.exit(result.status ?? 1);
if (!existsSync(output)) {
  console.error(`sqsref-prisma-generate: prisma generate wrote nothing to ${output}; check the generator's output.`);
  process.exit(1);
}
writeFileSync(stampFile, digest);
