import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// scripts/audit-prod.mjs against a stand-in `npm` first on PATH that prints a given `npm audit --json` answer: the
// registry these tests run with cannot make real audits (its audit endpoint answers 405).
const script = join(dirname(fileURLToPath(import.meta.url)), '../scripts/audit-prod.mjs');
let bin: string;

beforeAll(() => {
  bin = mkdtempSync(join(tmpdir(), 'sqsref-audit-'));
  writeFileSync(
    join(bin, 'npm'),
    '#!/bin/sh\n[ "$1 $2" = "audit --omit=dev" ] || exit 99\ncat "$AUDIT_FIXTURE"\nexit "$AUDIT_EXIT"\n',
  );
  chmodSync(join(bin, 'npm'), 0o755);
});

afterAll(() => rmSync(bin, { recursive: true, force: true }));

function audit(answer: unknown, exitCode: number): { status: number | null; stdout: string } {
  const fixture = join(bin, `answer-${Math.random()}.json`);
  writeFileSync(fixture, typeof answer === 'string' ? answer : JSON.stringify(answer));
  const result = spawnSync(process.execPath, [script], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, AUDIT_FIXTURE: fixture, AUDIT_EXIT: String(exitCode) },
  });
  return { status: result.status, stdout: result.stdout };
}

const metadata = (counts: Record<string, number>) => ({
  vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0, ...counts },
  dependencies: { prod: 180, dev: 600, optional: 10, peer: 0, peerOptional: 0, total: 790 },
});

describe('npm run audit:prod', () => {
  it('passes with one line when no production dependency has a high or critical advisory', () => {
    const answer = {
      auditReportVersion: 2,
      vulnerabilities: { 'some-lib': { name: 'some-lib', severity: 'moderate', via: [], range: '<1.2.0' } },
      metadata: metadata({ moderate: 1, total: 1 }),
    };
    expect(audit(answer, 1)).toEqual({
      status: 0,
      stdout: 'audit:prod: no high or critical advisory in 180 production dependencies (moderate 1, low 0, info 0).\n',
    });
  });

  it('fails and names each package with a high or critical advisory, direct or through another', () => {
    const answer = {
      auditReportVersion: 2,
      vulnerabilities: {
        'parse-thing': {
          name: 'parse-thing',
          severity: 'critical',
          range: '<2.0.1',
          via: [{ title: 'Prototype pollution', url: 'https://github.com/advisories/GHSA-xxxx', severity: 'critical' }],
        },
        'uses-parse-thing': { name: 'uses-parse-thing', severity: 'high', range: '1.x', via: ['parse-thing'] },
        harmless: { name: 'harmless', severity: 'low', via: [] },
      },
      metadata: metadata({ critical: 1, high: 1, low: 1, total: 3 }),
    };
    const { status, stdout } = audit(answer, 1);
    expect(status).toBe(1);
    expect(stdout.split('\n')).toEqual([
      'audit:prod: 2 production dependencies with high or critical advisories:',
      '  critical parse-thing <2.0.1 Prototype pollution https://github.com/advisories/GHSA-xxxx',
      '  high     uses-parse-thing 1.x (through parse-thing)',
      'Run `npm audit --omit=dev` for the details and `npm audit fix --omit=dev` for what npm can fix.',
      '',
    ]);
  });

  it('says that nothing was checked, with exit code 2, when the registry makes no audit', () => {
    const refused = {
      message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
      error: { summary: '', detail: '' },
    };
    expect(audit(refused, 1)).toEqual({
      status: 2,
      stdout:
        'audit:prod: npm audit made no report (405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk): production dependencies NOT checked.\n',
    });
    expect(audit('npm error something odd', 1).status).toBe(2);
  });
});
