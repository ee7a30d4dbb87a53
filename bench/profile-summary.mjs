// Summarises a V8 .cpuprofile written by bench/profile-consume.mjs: busy time (idle and the profiler's own calls left
// out) by layer (AWS SDK, Node's runtime, GC, Nest, the transport), by package or transport module, and the top
// functions by self time. Usage: node bench/profile-summary.mjs <file.cpuprofile> [messages]
import { readFileSync } from 'node:fs';

const [file, messagesArg] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/profile-summary.mjs <file.cpuprofile> [messages consumed]');
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));

function layer({ url, functionName }) {
  if (/@smithy|@aws-sdk/.test(url)) return 'AWS SDK (JavaScript)';
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (/@nestjs|rxjs/.test(url)) return 'Nest';
  if (/sqs-transport/.test(url)) return 'the transport';
  if (!url || url.startsWith('node:')) return "Node's runtime (HTTP, crypto, promises, native)";
  return 'other';
}

function area({ url, functionName }) {
  const pkg = url.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1];
  const own = url.match(/packages\/([^/]+)\/(?:dist|src)\/(.*)$/);
  if (own) return `${own[1]}/${own[2]}`;
  if (!url || url.startsWith('node:')) return functionName === '(garbage collector)' ? 'GC' : 'node runtime';
  return url.split('/').slice(-2).join('/');
}

const layers = new Map();
const areas = new Map();
const functions = new Map();
let busy = 0;
profile.samples.forEach((id, index) => {
  const { callFrame } = byId.get(id);
  const time = profile.timeDeltas[index] ?? 0;
  const profilerItself = callFrame.functionName === 'post' && callFrame.url.includes('inspector');
  if (profilerItself || callFrame.functionName === '(idle)' || callFrame.functionName === '(program)') return;
  busy += time;
  const add = (map, key) => map.set(key, (map.get(key) ?? 0) + time);
  add(layers, layer(callFrame));
  add(areas, area(callFrame));
  add(functions, `${callFrame.functionName || '(anonymous)'} ${area(callFrame)}:${callFrame.lineNumber + 1}`);
});

const share = (time) => `${((100 * time) / busy).toFixed(1)} %`.padStart(7);
const print = (title, map, limit) => {
  console.log(`--- ${title}`);
  for (const [key, time] of [...map].sort((a, b) => b[1] - a[1]).slice(0, limit)) console.log(share(time), key);
};
const messages = Number(messagesArg ?? 0);
console.log(
  `busy ${(busy / 1000).toFixed(0)} ms${messages > 0 ? `, ${(busy / messages).toFixed(0)} µs per message` : ''}`,
);
print('by layer', layers, 10);
print('by package or transport module', areas, 30);
print('top functions, self time', functions, 30);
