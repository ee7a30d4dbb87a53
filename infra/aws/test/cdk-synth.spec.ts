import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../src/paths.js';

// `cdk synth` as a user runs it in infra/aws (the CLI of the lock, the app of cdk.json), offline: no AWS credentials
// or profile, no instance metadata, context lookups refused (--no-lookups). HOME and TMPDIR are empty folders of
// the test, so every write the synth makes can be seen.
const APP_DIR = join(REPO_ROOT, 'infra/aws');
const CLI = join(REPO_ROOT, 'node_modules/aws-cdk/bin/cdk');
/**
 * The two user-level caches that libraries keep in HOME whatever a project does, and nothing else may appear there:
 * aws-cdk-lib's asset fingerprint cache and @swc/core's native binding (the app's TypeScript loader).
 */
const USER_CACHES = ['.cdk/cache/fingerprints/', '.cache/swc-native-0/'];

let sandbox: string;
let home: string;
let temp: string;
let out: string;
let result: ReturnType<typeof spawnSync>;
let before: string[];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

/**
 * Every file of infra/aws, the CLI's working folder (an earlier cdk.out included), with its size and modification
 * time: a new cdk.out or cdk.context.json, or any file written there, changes it. (Not the whole checkout: other
 * suites running beside this one write their own files there.)
 */
function checkoutState(): string[] {
  const files = readdirSync(APP_DIR, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      const stats = statSync(path);
      return `${relative(APP_DIR, path)} ${stats.size} ${stats.mtimeMs}`;
    });
  return files.sort();
}

beforeAll(() => {
  sandbox = mkdtempSync(join(tmpdir(), 'sqsref-cdk-synth-'));
  home = join(sandbox, 'home');
  temp = join(sandbox, 'tmp');
  out = join(sandbox, 'out');
  for (const dir of [home, temp]) mkdirSync(dir);
  // No AWS_* or CDK_* variable of the machine reaches the CLI.
  const environment = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(AWS_|CDK_)/.test(name)),
  ) as Record<string, string>;
  before = checkoutState();
  result = spawnSync(process.execPath, [CLI, 'synth', '--no-lookups', '--quiet', '--output', out], {
    cwd: APP_DIR,
    encoding: 'utf8',
    env: {
      ...environment,
      HOME: home,
      TMPDIR: temp,
      XDG_CACHE_HOME: join(home, '.cache'),
      AWS_CONFIG_FILE: join(home, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
      // Without it the SDK probes the EC2 instance metadata service for credentials (seconds of timeouts offline).
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    timeout: 110_000,
  });
}, 120_000);

afterAll(() => {
  if (sandbox) rmSync(sandbox, { recursive: true, force: true });
});

describe('cdk synth, offline and without credentials', () => {
  it('succeeds', () => {
    expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({
      status: 0,
      stderr: '',
    });
  });

  it('writes a template for every environment of cdk.json, and needed no lookup', () => {
    const environments = Object.keys(
      (JSON.parse(readFileSync(join(APP_DIR, 'cdk.json'), 'utf8')) as { context: Record<string, object> }).context[
        'sqsref:environments'
      ] ?? {},
    );
    expect(environments.length).toBeGreaterThan(0);
    for (const name of environments) {
      const template = readFileSync(join(out, `SqsRef-${name}.template.json`), 'utf8');
      expect(template).not.toMatch(/\b\d{12}\b/);
    }
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { missing?: unknown };
    expect(manifest.missing).toBeUndefined();
  });

  it('writes nothing outside its output folder: not in the checkout, not in TMPDIR, in HOME only the user caches', () => {
    expect(checkoutState()).toEqual(before);
    expect(filesUnder(temp)).toEqual([]);
    const elsewhere = filesUnder(home).filter((file) => !USER_CACHES.some((cache) => file.startsWith(cache)));
    expect(elsewhere).toEqual([]);
  });
});

describe('the app with a wrong context', () => {
  it('fails with every problem and its allowed values, and no stack trace', () => {
    const out = mkdtempSync(join(tmpdir(), 'sqsref-cdk-wrong-'));
    try {
      const failed = spawnSync(
        process.execPath,
        ['--no-warnings', '--import', join(REPO_ROOT, 'tooling/ts-loader/register.mjs'), 'bin/app.ts'],
        {
          cwd: APP_DIR,
          encoding: 'utf8',
          env: {
            ...process.env,
            CDK_OUTDIR: out,
            CDK_CONTEXT_JSON: JSON.stringify({ 'sqsref:environments': { dev: { maxAzs: 1, removalPolicy: 'keep' } } }),
          },
          timeout: 60_000,
        },
      );
      expect(failed.status).toBe(1);
      expect(failed.stderr).toContain('Invalid CDK context "sqsref:environments" (cdk.json or -c):');
      expect(failed.stderr).toMatch(/dev\.maxAzs: .*2/);
      expect(failed.stderr).toMatch(/dev\.removalPolicy: .*"retain"\|"destroy"/);
      expect(failed.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
