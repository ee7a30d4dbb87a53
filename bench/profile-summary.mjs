// Summarises a V8 .cpuprofile: self time per package / area, and the top functions. Usage: node bench/profile-summary.mjs <file>
import { readFileSync } from 'node:fs';

const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
const dt = profile.timeDeltas;
profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (dt[index] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

function area(url, name) {
  if (!url) return name === '(garbage collector)' ? 'GC' : name.startsWith('(') ? name : 'native';
  const m = url.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  if (m) return m[1];
  const p = url.match(/packages\/([^/]+)\/(?:dist|src)\/(.*)$/);
  if (p) return `${p[1]}/${p[2]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url.split('/').slice(-2).join('/');
}
const areas = new Map();
const fns = new Map();
for (const [id, time] of self) {
  const { callFrame } = byId.get(id);
  const key = area(callFrame.url, callFrame.functionName);
  areas.set(key, (areas.get(key) ?? 0) + time);
  const fn = `${callFrame.functionName || '(anonymous)'} ${key}:${callFrame.lineNumber + 1}`;
  fns.set(fn, (fns.get(fn) ?? 0) + time);
}
const pct = (t) => `${((100 * t) / total).toFixed(1)} %`;
console.log(`total sampled ${(total / 1000).toFixed(0)} ms`);
for (const [key, time] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(pct(time).padStart(8), key);
console.log('--- top functions (self time)');
for (const [key, time] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(pct(time).padStart(8), key);
