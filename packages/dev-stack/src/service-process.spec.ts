import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '@sqsref/sqs-transport/testing';
import type { OutputStream, ServiceChild } from './service-process.js';
import { asyncContextFrameFlags } from './async-context-frame.js';
import { ServiceExitedError, ServiceNotReadyError, spawnService } from './service-process.js';

// A stand-in service: prints one line to each stream, then exits with EXIT_CODE, or answers GET /ready on PORT
// (unless NO_SERVER), and exits 0 on SIGTERM.
const FAKE_SERVICE = `
import { createServer } from 'node:http';
console.log(JSON.stringify({ inherited: process.env.SPAWN_SPEC_INHERITED ?? null, own: process.env.OWN ?? null }));
console.log(JSON.stringify({ execArgv: process.execArgv }));
console.error('on stderr');
if (process.env.EXIT_CODE) process.exit(Number(process.env.EXIT_CODE));
if (!process.env.NO_SERVER) {
  createServer((request, response) => {
    response.statusCode = request.url === '/ready' ? 200 : 404;
    response.end();
  }).listen(Number(process.env.PORT), '127.0.0.1');
}
process.on('SIGTERM', () => process.exit(0));
setInterval(() => undefined, 1000);
`;

describe('spawnService', () => {
  let dir: string;
  let entry: string;
  const children: ServiceChild[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'spawn-service-'));
    entry = join(dir, 'service.mjs');
    await writeFile(entry, FAKE_SERVICE);
    process.env.SPAWN_SPEC_INHERITED = 'yes';
  });

  afterAll(async () => {
    delete process.env.SPAWN_SPEC_INHERITED;
    await Promise.all(children.map((child) => child.kill('SIGKILL')));
    await rm(dir, { recursive: true, force: true });
  });

  async function spawnFake(env: Record<string, string>, inheritEnv?: boolean) {
    const port = await freePort();
    const lines: Array<{ line: string; stream: OutputStream }> = [];
    const service = spawnService(
      { name: 'fake', entry, url: `http://127.0.0.1:${port}`, env: { PORT: String(port), ...env }, inheritEnv },
      (line, stream) => lines.push({ line, stream }),
    );
    children.push(service);
    return { service, lines };
  }

  it('passes each line with its stream, waits for /ready, and reports how a killed service ended', async () => {
    const { service, lines } = await spawnFake({ OWN: 'mine' });
    await service.ready(10_000);
    await waitFor(() => lines.length === 3, { description: 'the three lines' });
    expect(lines).toEqual(
      expect.arrayContaining([
        { line: JSON.stringify({ inherited: 'yes', own: 'mine' }), stream: 'stdout' },
        { line: 'on stderr', stream: 'stderr' },
      ]),
    );
    expect(await service.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await service.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('starts the service with async context frames on Node 22 and 23 (no promise hooks for tracing)', async () => {
    const { service, lines } = await spawnFake({});
    await service.ready(10_000);
    await waitFor(() => lines.some((entry) => entry.line.startsWith('{"execArgv"')), { description: 'execArgv' });
    const line = lines.find((entry) => entry.line.startsWith('{"execArgv"'))?.line ?? '{}';
    const flags = asyncContextFrameFlags();
    expect(flags.length).toBeGreaterThan(0); // this suite runs on Node 22 (package.json engines, .ci/node)
    expect((JSON.parse(line) as { execArgv: string[] }).execArgv).toEqual(expect.arrayContaining(flags));
    await service.stop(5_000);
  });

  it("with inheritEnv false, gives the service only PATH, HOME and the spec's env", async () => {
    const { service, lines } = await spawnFake({ OWN: 'mine' }, false);
    await service.ready(10_000);
    await waitFor(() => lines.some((entry) => entry.stream === 'stdout'), { description: 'the stdout line' });
    expect(lines.find((entry) => entry.stream === 'stdout')?.line).toBe(
      JSON.stringify({ inherited: null, own: 'mine' }),
    );
    await service.stop(5_000);
    expect(await service.exited).toEqual({ code: 0, signal: null });
  });

  it('rejects ready() with ServiceExitedError when the service exits first, and keeps its exit code', async () => {
    const { service } = await spawnFake({ EXIT_CODE: '3' });
    await expect(service.ready(10_000)).rejects.toThrow(ServiceExitedError);
    expect(await service.exited).toEqual({ code: 3, signal: null });
  });

  it('rejects ready() with ServiceNotReadyError when /ready does not answer in time', async () => {
    const { service } = await spawnFake({ NO_SERVER: '1' });
    await expect(service.ready(300)).rejects.toThrow(ServiceNotReadyError);
  });
});
