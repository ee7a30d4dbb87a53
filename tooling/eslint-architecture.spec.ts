// Proves that the architecture rules in eslint.config.js fire: apps never import each other (by package name or
// by path) nor call services over HTTP, no package imports an app, contracts stays free of Nest and the AWS SDK,
// and the transport stays free of Prisma and the domain. Runs ESLint's Node API on code snippets.
import { describe, expect, it, beforeAll } from '@jest/globals';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RULE = '@typescript-eslint/no-restricted-imports';

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: repoRoot });
});

async function lint(filePath: string, code: string) {
  const [result] = await eslint.lintText(`${code}\n`, { filePath });
  if (!result) throw new Error(`ESLint returned no result for ${filePath}`);
  return result.messages.map((message) => ({ ruleId: message.ruleId, message: message.message }));
}

// [file the code is in, code]: each must be reported by the architecture rule.
const forbidden: Array<[string, string]> = [
  ['apps/order-service/src/x.ts', `import { a } from '@sqsref/shipping-service';\nexport { a };`],
  ['apps/order-service/src/x.ts', `import type { A } from '@sqsref/shipping-service/dist/a.js';\nexport type { A };`],
  ['apps/order-service/src/x.ts', `import { a } from '../../shipping-service/src/a.js';\nexport { a };`],
  ['apps/order-service/src/orders/x.ts', `import '../../../shipping-service/src/main.js';`],
  ['apps/order-service/src/x.ts', `export { a } from '../../../apps/shipping-service/src/a.js';`],
  ['apps/order-service/test/x.spec.ts', `import { a } from '@sqsref/shipping-service';\nexport { a };`],
  ['apps/shipping-service/src/x.ts', `import { a } from '@sqsref/order-service';\nexport { a };`],
  ['apps/shipping-service/src/x.ts', `import { a } from '../../order-service/src/a.js';\nexport { a };`],
  ['apps/order-service/src/x.ts', `import axios from 'axios';\nexport { axios };`],
  ['apps/order-service/src/x.ts', `import { request } from 'node:http';\nexport { request };`],
  ['apps/order-service/src/x.ts', `import { a } from '../../../packages/sqs-transport/src/index.js';\nexport { a };`],
  ['packages/contracts/src/x.ts', `import { Injectable } from '@nestjs/common';\nexport { Injectable };`],
  ['packages/contracts/src/x.ts', `import { SQSClient } from '@aws-sdk/client-sqs';\nexport { SQSClient };`],
  ['packages/sqs-transport/src/x.ts', `import { PrismaClient } from '@prisma/client';\nexport { PrismaClient };`],
  ['packages/sqs-transport/src/x.ts', `import { a } from '@sqsref/sqs-prisma';\nexport { a };`],
  [
    'packages/sqs-transport/src/x.ts',
    `import type { OrderPlaced } from '@sqsref/contracts';\nexport type { OrderPlaced };`,
  ],
  ['packages/sqs-transport/src/nest/x.ts', `import { a } from '../../../sqs-prisma/src/index.js';\nexport { a };`],
  ['packages/sqs-prisma/src/x.ts', `import { a } from '@sqsref/order-service';\nexport { a };`],
];

// Each must lint clean (no messages at all, so the snippets are also free of other errors).
const allowed: Array<[string, string]> = [
  [
    'apps/order-service/src/x.ts',
    [
      `import { SqsServer } from '@sqsref/sqs-transport';`,
      `import type { OrderPlaced } from '@sqsref/contracts';`,
      `import { Injectable } from '@nestjs/common';`,
      `import { createServer } from 'node:http';`,
      `import { shipmentStatus } from './shipping/shipping-service.js';`,
      `import { config } from '../config.js';`,
      `export type { OrderPlaced };`,
      `export { SqsServer, Injectable, createServer, shipmentStatus, config };`,
    ].join('\n'),
  ],
  ['apps/order-service/test/orders.spec.ts', `import { request } from 'node:http';\nexport { request };`],
  ['apps/shipping-service/src/x.ts', `import { SqsClient } from '@sqsref/sqs-transport';\nexport { SqsClient };`],
  ['packages/contracts/src/x.ts', `import { randomUUID } from 'node:crypto';\nexport { randomUUID };`],
  [
    'packages/sqs-transport/src/x.ts',
    `import { SQSClient } from '@aws-sdk/client-sqs';\nimport { Server } from '@nestjs/microservices';\nexport { SQSClient, Server };`,
  ],
  [
    'packages/sqs-prisma/src/x.ts',
    `import { PrismaClient } from '@prisma/client';\nimport type { InboxStore } from '@sqsref/sqs-transport';\nexport type { InboxStore };\nexport { PrismaClient };`,
  ],
];

describe('architecture lint rules', () => {
  // Titles show the file and the snippet's first line (the import under test).
  const titled = (cases: Array<[string, string]>) =>
    cases.map(([file, code]): [string, string, string] => [file, code.split('\n')[0] ?? '', code]);

  it.each(titled(forbidden))('reports %s: %s', async (filePath, _title, code) => {
    const messages = await lint(filePath, code);
    expect(messages.filter((m) => m.ruleId === RULE)).toHaveLength(1);
  });

  it.each(titled(allowed))('accepts %s: %s ...', async (filePath, _title, code) => {
    expect(await lint(filePath, code)).toEqual([]);
  });

  it('says what to do instead', async () => {
    const [message] = await lint(
      'apps/shipping-service/src/x.ts',
      `import { a } from '@sqsref/order-service';\nexport { a };`,
    );
    expect(message?.message).toMatch(/never import each other.*SQS/);
  });
});

describe('code quality lint rules', () => {
  it('forbids explicit any in src and unused variables, except names starting with _', async () => {
    const messages = await lint(
      'packages/sqs-transport/src/x.ts',
      `export function f(_unused: string, value: any): number {\n  const extra = 1;\n  return value;\n}`,
    );
    expect(messages.map((m) => m.ruleId).sort()).toEqual([
      '@typescript-eslint/no-explicit-any',
      '@typescript-eslint/no-unused-vars',
    ]);
  });

  it('allows explicit any in specs', async () => {
    expect(await lint('packages/sqs-transport/src/x.spec.ts', `export const value: any = 1;`)).toEqual([]);
  });
});
