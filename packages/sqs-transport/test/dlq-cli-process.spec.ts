import { describe, expect, it } from '@jest/globals';
import { freePort } from '../src/testing/index.js';
import { runDlqProcess } from './support/dlq-cli-process.js';

/** Test 4 of issue 13, as a user sees it: the real process prints one line to stderr and exits non-zero. */
describe('the sqs-dlq process on failure', () => {
  it('an unreachable endpoint: one line on stderr, nothing on stdout, exit 1', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const run = runDlqProcess(['list', '--queue', 'orders-dlq.fifo'], { AWS_ENDPOINT_URL_SQS: endpoint });
    expect((await run.exited).code).toBe(1);
    expect(run.stderr().trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^error \[ENDPOINT_UNREACHABLE\]: Cannot reach SQS at http:\/\/127\.0\.0\.1:\d+ \(/),
    ]);
    expect(run.stdoutLines).toEqual([]);
  });

  it('bad arguments: one line on stderr, exit 2', async () => {
    const run = runDlqProcess(['redrive', '--queue', 'orders-dlq.fifo']);
    expect((await run.exited).code).toBe(2);
    expect(run.stderr().trimEnd().split('\n')).toEqual([
      'error [USAGE]: redrive needs --all, or a selection with --id, --type or --error-code (see --help)',
    ]);
  });
});
