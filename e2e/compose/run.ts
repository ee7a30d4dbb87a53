// `npm run test:compose`: docker-compose.yml for real. Builds the images and starts the fauxqs-profile stack under
// its own project name (`up --build --wait`), runs the black-box suite of suite/ against the ports it publishes on
// 127.0.0.1, then removes the project's containers, network and volumes: also when a test fails, the stack does not
// come up, or the run is interrupted (Ctrl-C, SIGTERM). Ends with one line, `N passed, N failed`, and exits
// non-zero when anything failed.
//
// Host ports: the variables of host-ports.ts (POSTGRES_HOST_PORT, SQS_HOST_PORT, ORDER_HOST_PORT, ...) when set, else
// free ports, so it runs beside a local PostgreSQL or a stack on the default ports. COMPOSE_TEST_PROJECT changes the project
// name (default sqsref-compose-test). The built images stay, as the next run's build cache.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ComposeCommandError } from './compose-project.js';
import type { ComposeProject } from './compose-project.js';
import { chooseHostPorts, hostPortsEnv } from './host-ports.js';
import { composeTestProject, REPOSITORY_ROOT } from './test-project.js';

/** Compose 2.20 added `depends_on.required`, which docker-compose.yml uses. */
const MIN_COMPOSE = [2, 20] as const;
/** Building both images from scratch and starting the stack; a first build here takes about 3 minutes. */
const UP_TIMEOUT_MS = 15 * 60_000;
/** The suite's own deadline; its tests have theirs (jest testTimeout). */
const SUITE_TIMEOUT_MS = 10 * 60_000;
const SUMMARY = /^(\d+) passed, (\d+) failed$/;

const started = Date.now();
const log = (message: string) =>
  process.stderr.write(`[test:compose ${((Date.now() - started) / 1000).toFixed(0)}s] ${message}\n`);

const interrupt = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupt.signal.aborted) {
      log(`${signal} again: exiting now. Remove what is left with: docker compose -p <project> down -v`);
      process.exit(130);
    }
    log(`${signal}: stopping, then removing the stack (${signal} again to exit at once)`);
    interrupt.abort();
  });
}

/** Runs a command and resolves with its exit code (never rejects). */
function probe(command: string, args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.once('error', () => resolve({ code: -1, stdout }));
    child.once('close', (code) => resolve({ code: code ?? 1, stdout }));
  });
}

/** Why this machine cannot run the suite, or undefined when it can. */
async function preflight(): Promise<string | undefined> {
  if ((await probe('docker', ['info'])).code !== 0) {
    return (
      'no Docker engine answers (`docker info` failed). Start Docker (Docker Desktop, or the docker service), ' +
      'then run `npm run test:compose` again.'
    );
  }
  const { code, stdout } = await probe('docker', ['compose', 'version', '--short']);
  const [major = 0, minor = 0] = stdout.trim().replace(/^v/, '').split('.').map(Number);
  if (code !== 0 || major < MIN_COMPOSE[0] || (major === MIN_COMPOSE[0] && minor < MIN_COMPOSE[1])) {
    return (
      `Docker Compose ${MIN_COMPOSE.join('.')} or newer is needed (found: ${stdout.trim() || 'none'}); ` +
      'update Docker Desktop or the docker-compose-plugin.'
    );
  }
  return undefined;
}

/** Runs the suite through scripts/run-tests.mjs and reads its closing line; echoes everything else. */
function runSuite(env: Record<string, string>): Promise<{ passed: number; failed: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/run-tests.mjs', '--config', 'e2e/compose/jest.config.js'], {
      cwd: REPOSITORY_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
      signal: interrupt.signal,
      timeout: SUITE_TIMEOUT_MS,
    });
    let counts: { passed: number; failed: number } | undefined;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = SUMMARY.exec(line);
      if (match) counts = { passed: Number(match[1]), failed: Number(match[2]) };
      else process.stdout.write(`${line}\n`);
    });
    child.once('error', () => undefined); // an abort or a timeout: the close below reports it
    child.once('close', (code, signal) => {
      if (!counts) log(`the suite ended (${signal ?? `exit ${code}`}) without its \`N passed, N failed\` line`);
      resolve(counts ?? { passed: 0, failed: 1 });
    });
  });
}

async function showLogs(project: ComposeProject): Promise<void> {
  for (const args of [
    ['ps', '--all'],
    ['logs', '--no-color', '--tail=40'],
  ]) {
    await project.compose(args, { echo: true, timeoutMs: 60_000 }).catch(() => undefined);
  }
}

async function main(): Promise<{ passed: number; failed: number }> {
  const problem = await preflight();
  if (problem) {
    log(`error: ${problem}`);
    return { passed: 0, failed: 1 };
  }
  const ports = await chooseHostPorts(process.env);
  const project = composeTestProject(ports);
  log(`project ${project.name}, host ports ${JSON.stringify(ports)}`);
  // Leftovers of an interrupted earlier run of the same project would make `up` reuse them.
  await project.down({ timeoutMs: 120_000 }).catch((error: unknown) => log(String(error)));
  let result = { passed: 0, failed: 1 };
  try {
    log('docker compose up --build --wait (profiles fauxqs, services)');
    await project.up({ timeoutMs: UP_TIMEOUT_MS, signal: interrupt.signal });
    log('the stack is up and healthy: running the suite');
    if (!interrupt.signal.aborted) {
      result = await runSuite({ ...hostPortsEnv(ports), COMPOSE_TEST_PROJECT: project.name });
    }
  } catch (error) {
    log(error instanceof ComposeCommandError ? `error: ${error.message}` : `error: ${String(error)}`);
  } finally {
    if (result.failed > 0 && !interrupt.signal.aborted) await showLogs(project);
    log('docker compose down --volumes --remove-orphans');
    await project.down({ timeoutMs: 180_000 }).catch((error: unknown) => {
      log(`error: could not remove the stack: ${String(error)}`);
      result.failed += 1;
    });
  }
  if (interrupt.signal.aborted) result.failed = Math.max(result.failed, 1);
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return result;
}

const { passed, failed } = await main().catch((error: unknown) => {
  log(`error: ${error instanceof Error ? error.message : String(error)}`);
  return { passed: 0, failed: 1 };
});
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
