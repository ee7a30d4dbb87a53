import { describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { waitFor } from '@sqsref/sqs-transport/testing';
import { isProcessAlive } from './process-alive.js';

describe('isProcessAlive', () => {
  it('finds this process and its parent, not one that has exited, nor a pid that cannot be one', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(process.ppid)).toBe(true);
    const exited = spawnSync(process.execPath, ['-e', '0']).pid;
    expect(isProcessAlive(exited)).toBe(false);
    for (const pid of [0, -1, 1.5, Number.NaN]) expect(isProcessAlive(pid)).toBe(false);
  });

  (existsSync('/proc/self/stat') ? it : it.skip)(
    'does not count a zombie: exited, not reaped by its parent',
    async () => {
      // sh starts "sleep 0" in the background, then becomes "sleep 30", which never reaps it: a zombie until then.
      const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
      try {
        const pid = Number(
          await new Promise<string>((resolve) => parent.stdout?.once('data', (chunk) => resolve(String(chunk)))),
        );
        const state = (): string => {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          return stat.charAt(stat.lastIndexOf(')') + 2);
        };
        await waitFor(() => state() === 'Z', { timeoutMs: 5_000, description: 'the background sleep a zombie' });
        expect(() => process.kill(pid, 0)).not.toThrow(); // signal 0 alone would call it alive
        expect(isProcessAlive(pid)).toBe(false);
      } finally {
        parent.kill('SIGKILL');
      }
    },
  );
});
