#!/usr/bin/env node
// `npm run audit:prod`: `npm audit --omit=dev` (the production dependencies of every workspace, as the lock resolves
// them), reduced to what matters: no high or critical advisory. Prints one line when clean, one line per vulnerable
// package otherwise. Exit codes: 0 none, 1 high or critical advisories found, 2 the audit could not be made (the
// registry's audit endpoint did not answer: nothing was checked, which is not a pass).
import { spawnSync } from 'node:child_process';

const BLOCKING = ['high', 'critical'];

const result = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
let report;
try {
  report = JSON.parse(result.stdout);
} catch {
  report = undefined;
}

if (!report?.metadata?.vulnerabilities) {
  const reason =
    report?.message ??
    report?.error?.summary ??
    result.error?.message ??
    (result.stderr.trim().split('\n').at(-1) || 'no report');
  console.log(`audit:prod: npm audit made no report (${reason}): production dependencies NOT checked.`);
  process.exit(2);
}

const counts = report.metadata.vulnerabilities;
const blocking = Object.values(report.vulnerabilities ?? {}).filter((entry) => BLOCKING.includes(entry.severity));
if (blocking.length === 0) {
  const others = ['moderate', 'low', 'info'].map((severity) => `${severity} ${counts[severity] ?? 0}`).join(', ');
  const dependencies = report.metadata.dependencies?.prod ?? report.metadata.dependencies?.total ?? '?';
  console.log(`audit:prod: no high or critical advisory in ${dependencies} production dependencies (${others}).`);
  process.exit(0);
}

console.log(`audit:prod: ${blocking.length} production dependencies with high or critical advisories:`);
for (const entry of blocking) {
  const advisories = (entry.via ?? []).filter((via) => typeof via === 'object');
  const titles = advisories.map((via) => `${via.title ?? 'advisory'} ${via.url ?? ''}`.trim());
  const through = advisories.length === 0 ? ` (through ${(entry.via ?? []).join(', ')})` : '';
  console.log(
    `  ${entry.severity.padEnd(8)} ${entry.name} ${entry.range ?? ''}${through} ${titles.join('; ')}`.trimEnd(),
  );
}
console.log('Run `npm audit --omit=dev` for the details and `npm audit fix --omit=dev` for what npm can fix.');
process.exit(1);
