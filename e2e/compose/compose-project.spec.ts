import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComposeProject } from './compose-project.js';

// A stand-in for the Docker command line that reports how it was called: the argument lists and the environment
// that ComposeProject builds are what this spec checks. (The real engine runs in `npm run test:compose`.)
const FAKE_DOCKER = `#!/usr/bin/env node
const args = process.argv.slice(2);
if (args.includes('hang')) setInterval(() => {}, 1000);
else if (args.includes('fail')) { process.stderr.write('no such service: fail\\n'); process.exit(3); }
else if (args.includes('ps')) process.stdout.write('c0ffee\\n');
else if (args[0] === 'inspect') process.stdout.write(JSON.stringify([{ Id: 'c0ffee', Image: 'sha256:1',
  State: { Status: 'exited', ExitCode: 0, Health: { Status: 'unhealthy' } } }]));
else process.stdout.write(JSON.stringify({ args, port: process.env.ORDER_HOST_PORT, cwd: process.cwd() }));
`;

describe('ComposeProject', () => {
  let dir: string;
  let project: ComposeProject;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'compose-project-'));
    await writeFile(join(dir, 'docker'), FAKE_DOCKER);
    await chmod(join(dir, 'docker'), 0o755);
    project = new ComposeProject({
      directory: dir,
      name: 'sqsref-compose-test',
      files: ['docker-compose.yml', 'e2e/compose/compose.test.yaml'],
      profiles: ['fauxqs', 'services'],
      env: { ORDER_HOST_PORT: '3300' },
      docker: join(dir, 'docker'),
    });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs every command on its own project name, directory, files and profiles, with its variables', async () => {
    const { stdout } = await project.compose(['config', '--format', 'json']);
    expect(JSON.parse(stdout)).toEqual({
      args: [
        'compose',
        '--project-name',
        'sqsref-compose-test',
        '--project-directory',
        dir,
        '--file',
        'docker-compose.yml',
        '--file',
        'e2e/compose/compose.test.yaml',
        '--profile',
        'fauxqs',
        '--profile',
        'services',
        'config',
        '--format',
        'json',
      ],
      port: '3300',
      cwd: dir,
    });
  });

  it("reads a service's container state from docker inspect", async () => {
    expect(await project.container('shipping-service')).toEqual({
      id: 'c0ffee',
      status: 'exited',
      exitCode: 0,
      health: 'unhealthy',
      image: 'sha256:1',
    });
  });

  it('fails with the command, its exit code and what it printed', async () => {
    await expect(project.stop('fail')).rejects.toMatchObject({
      code: 'COMPOSE_COMMAND_FAILED',
      message: '`docker compose stop fail` exited with code 3:\nno such service: fail',
    });
  });

  it('stops a command at its deadline, and when the caller aborts', async () => {
    await expect(project.compose(['hang'], { timeoutMs: 200 })).rejects.toThrow(
      '`docker compose hang` did not finish in time',
    );
    const abort = new AbortController();
    const running = project.compose(['hang'], { signal: abort.signal });
    abort.abort();
    await expect(running).rejects.toMatchObject({ code: 'COMPOSE_COMMAND_FAILED' });
  });

  it('refuses a project name Compose would refuse, and no compose file', () => {
    expect(() => new ComposeProject({ directory: dir, name: 'My Stack', files: ['a.yml'] })).toThrow(
      'Compose project name "My Stack" is invalid: use lower-case letters, digits, "-" and "_", starting with a letter or a digit.',
    );
    expect(() => new ComposeProject({ directory: dir, name: 'x', files: [] })).toThrow(
      'Give at least one compose file.',
    );
  });
});
