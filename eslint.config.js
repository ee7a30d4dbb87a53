// Root ESLint flat config for every workspace (eslint 9 + typescript-eslint, not type-aware: fast and
// independent of each package's tsconfig). `npx eslint .` at the root lints everything; `eslint src` inside a
// workspace finds this file too (patterns below are relative to this directory either way).
//
// Besides code quality, it enforces the architecture rules of the design (docs: /work/shared/design.md):
// - an app (apps/*) imports only packages (@sqsref/<package>) and npm packages, never another app, and does not
//   call other services over HTTP (in its src; tests may use HTTP against their own app);
// - no package imports an app;
// - packages/contracts is data and schemas only: no @nestjs/*, no @aws-sdk/*;
// - packages/sqs-transport knows nothing about Prisma, the Prisma stores or the domain contracts.
// tooling/eslint-architecture.spec.ts proves that these rules fire.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const root = dirname(fileURLToPath(import.meta.url));

/** Workspaces of one kind ('apps' or 'packages'): folder name and npm package name. */
function workspaces(kind, expected) {
  const dir = join(root, kind);
  const found = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
    : [];
  return [...new Set([...expected, ...found])].sort().map((folder) => {
    const manifest = join(dir, folder, 'package.json');
    const name = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).name : undefined;
    // Both the real package name and the conventional one are forbidden, so a rename cannot open a hole.
    return { folder, names: [...new Set([`@sqsref/${folder}`, name].filter(Boolean))] };
  });
}

// The apps and packages the design names are listed so that the rules hold before their folders exist.
const apps = workspaces('apps', ['order-service', 'shipping-service']);
const packages = workspaces('packages', ['contracts', 'sqs-prisma', 'sqs-transport']);

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** Matches an import of `name` itself or any subpath of it. */
const packageName = (name) => `^${escape(name)}(/.*)?$`;
/** Matches a relative import that climbs out (../) into the sibling folder `folder`, at any depth. */
const siblingFolder = (folder) => `^(\\.\\./)+${escape(folder)}(/.*)?$`;

/** Any import that reaches into an app from outside it: its package name, a relative path, or an apps/ path. */
const intoApp = (app) => [
  ...app.names.map((name) => ({
    regex: packageName(name),
    message: `Apps are deployed on their own and never import each other (${name}); share code through a package in packages/ and talk through SQS events.`,
  })),
  {
    regex: `${siblingFolder(app.folder)}|(^|/)apps/${escape(app.folder)}(/.*)?$`,
    message: `Do not import another app's files (apps/${app.folder}); share code through a package in packages/ and talk through SQS events.`,
  },
];

/** A relative path into packages/ bypasses the package's exports: use its package name. */
const relativeIntoPackages = {
  regex: '^\\.{1,2}/(.*/)?packages/',
  message: 'Import a workspace package by its name (@sqsref/...), not by a relative path into packages/.',
};

const httpClientMessage =
  'Services never call each other over HTTP: every byte between them crosses SQS (see docs / design). Publish an event instead.';
const httpClients = [
  ...['axios', '@nestjs/axios', 'node-fetch', 'got', 'undici', 'superagent', 'ky'].map((name) => ({
    name,
    message: httpClientMessage,
  })),
  ...['http', 'https', 'node:http', 'node:https', 'http2', 'node:http2'].map((name) => ({
    name,
    importNames: ['request', 'get', 'connect'],
    message: httpClientMessage,
  })),
];

/** Test code (not the shipped test kits under src/testing, which are held to the src rules). */
const testFiles = ['**/*.spec.ts', '**/*.test.ts', '**/test/**'];

/** One `no-restricted-imports` setting per scope (later settings replace earlier ones, so each is complete). */
const restrict = (patterns, paths = []) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns, paths }],
});

const boundaries = [
  ...apps.flatMap((app) => {
    const others = apps.filter((other) => other !== app).flatMap(intoApp);
    const files = [`apps/${app.folder}/**`];
    return [
      {
        name: `architecture/apps/${app.folder}`,
        files,
        rules: restrict([...others, relativeIntoPackages], httpClients),
      },
      {
        name: `architecture/apps/${app.folder}/tests`,
        files: testFiles.map((pattern) => `apps/${app.folder}/${pattern}`),
        rules: restrict([...others, relativeIntoPackages]),
      },
    ];
  }),
  ...packages.map((pkg) => {
    const extra = {
      contracts: [
        { regex: '^@nestjs/', message: 'packages/contracts is data and schemas only: no NestJS.' },
        { regex: '^@aws-sdk/', message: 'packages/contracts is data and schemas only: no AWS SDK.' },
      ],
      'sqs-transport': [
        {
          regex: '^(@prisma/.*|prisma(/.*)?)$',
          message: 'packages/sqs-transport knows nothing about Prisma: use the inbox/outbox store interfaces.',
        },
        ...['sqs-prisma', 'contracts'].flatMap((folder) => [
          {
            regex: `${packageName(`@sqsref/${folder}`)}|${siblingFolder(folder)}`,
            message: `packages/sqs-transport is domain- and ORM-agnostic: it must not import @sqsref/${folder}.`,
          },
        ]),
      ],
    }[pkg.folder];
    return {
      name: `architecture/packages/${pkg.folder}`,
      files: [`packages/${pkg.folder}/**`],
      rules: restrict([...apps.flatMap(intoApp), ...(extra ?? [])]),
    };
  }),
];

export default tseslint.config(
  {
    name: 'ignores',
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      '**/generated/**',
      '**/.turbo/**',
      '**/.data/**',
      '**/cdk.out/**',
      '.ci/node/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'project/all',
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      // Node's globals, for the .js/.mjs files (TypeScript checks globals in .ts files itself).
      globals: Object.fromEntries(
        [
          'process',
          'console',
          'Buffer',
          'URL',
          'URLSearchParams',
          'AbortController',
          'AbortSignal',
          'TextEncoder',
          'TextDecoder',
          'structuredClone',
          'queueMicrotask',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
          'setImmediate',
          'clearImmediate',
          'fetch',
          'performance',
          'crypto',
        ].map((name) => [name, 'readonly']),
      ),
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    name: 'project/tests',
    files: testFiles,
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  ...boundaries,
  prettier,
);
