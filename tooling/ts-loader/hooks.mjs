// Module hooks that let a child process, a benchmark or the AWS CDK app (infra/aws/cdk.json) run this repo's
// TypeScript directly (never production):
// workspace packages resolve to their src, `./x.js` resolves to `./x.ts`, and .ts files are
// compiled by SWC with the same settings jest uses (legacy decorators with metadata).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transformSync } from '@swc/core';

const packages = new URL('../../packages/', import.meta.url);
const workspaceEntries = {
  '@sqsref/sqs-transport': 'sqs-transport/src/index.ts',
  '@sqsref/sqs-transport/testing': 'sqs-transport/src/testing/index.ts',
  '@sqsref/sqs-prisma': 'sqs-prisma/src/index.ts',
  '@sqsref/sqs-prisma/testing': 'sqs-prisma/src/testing/index.ts',
  '@sqsref/contracts': 'contracts/src/index.ts',
  '@sqsref/service-kit/config': 'service-kit/src/config/index.ts',
};

export async function resolve(specifier, context, next) {
  const entry = workspaceEntries[specifier];
  if (entry) return { url: new URL(entry, packages).href, shortCircuit: true };
  if (specifier.endsWith('.js') && context.parentURL?.endsWith('.ts') && /^\.{1,2}\//.test(specifier)) {
    const candidate = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(fileURLToPath(candidate))) return { url: candidate.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const source = await readFile(fileURLToPath(url), 'utf8');
  const { code } = transformSync(source, {
    filename: fileURLToPath(url),
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  });
  return { format: 'module', source: code, shortCircuit: true };
}
