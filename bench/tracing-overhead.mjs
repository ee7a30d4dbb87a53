// Tracing overhead on the consume path (issue 11): the transport contender of consume.mjs with tracing off (no
// OpenTelemetry SDK: the API's no-op tracer, as in a service without OTEL_* variables) and with tracing on but not
// exported (an SDK tracer provider that records every span, with async context, and no exporter), side by side in
// one run, on one fauxqs, rotated so neither always runs first, after one warm-up round of each.
// Run: `node bench/tracing-overhead.mjs` (after `npm run build`); BENCH_MESSAGES, BENCH_ROUNDS set the size,
// BENCH_TRACING_BACKENDS=fauxqs|fake runs one back end only. On Node 22, it then runs the same comparison again in a
// child process started with --experimental-async-context-frame (AsyncLocalStorage without promise hooks, Node 24's
// default), where the services can run with tracing on; BENCH_TRACING_ASYNC_CONTEXT_FRAME=0 skips it.
// Writes bench/results/tracing-overhead.json and prints its table.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AlwaysOnSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import { ASYNC_CONTEXT_FRAME_FLAG, asyncContextFrameFlags, startForkedSqsEmulator } from '@sqsref/dev-stack';
import { FakeSqsClient } from '@sqsref/sqs-transport/testing';
import { transport } from './consume.mjs';
import { client, createQueue, deleteQueue, median, preload, sizeFromEnv, writeResults } from './lib.mjs';

const TOTAL = sizeFromEnv('BENCH_MESSAGES', 5_000);
const ROUNDS = sizeFromEnv('BENCH_ROUNDS', 5);
// The transport's setting in the consume benchmark (bench/consume.mjs): 8 pollers, 80 handlers.
const LOOPS = 8;
const WARMUP = Math.min(TOTAL, 1_000);
/** The flag that makes AsyncLocalStorage use async context frames instead of promise hooks (Node 22.7 to 23). */
const FRAME_FLAG = ASYNC_CONTEXT_FRAME_FLAG;
const ASYNC_CONTEXT_FRAME = process.execArgv.includes(FRAME_FLAG);
/** Set in the child run with FRAME_FLAG: where it writes its rows for the parent, instead of the results file. */
const ROWS_TO = process.env.BENCH_TRACING_ROWS_TO;
/** Node 22.7+ and 23 have the flag, off by default (dev-stack starts the services with it); Node 24 has frames by default. */
const RUN_WITH_FRAMES =
  !ASYNC_CONTEXT_FRAME && asyncContextFrameFlags().length > 0 && process.env.BENCH_TRACING_ASYNC_CONTEXT_FRAME !== '0';
/** `fauxqs`, `fake` or both (default): which SQS back ends to run on. */
const BACKENDS = (process.env.BENCH_TRACING_BACKENDS ?? 'fauxqs,fake').split(',');

/** No SDK: what a service runs when no OTEL_* variable asks for traces. */
function tracingOff() {
  trace.disable();
  context.disable();
  propagation.disable();
}

/** An SDK that records every span (sampled, attributes, context propagation) and exports none. */
function tracingOnNotExported() {
  tracingOff();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new TracerProvider({ sampler: new AlwaysOnSampler(), spanProcessors: [] }));
}

const variants = [
  ['tracing off (no SDK)', tracingOff],
  ['tracing on, not exported', tracingOnNotExported],
];
const queueKinds = [
  ['standard queue', undefined],
  ['FIFO, 50 groups', 50],
];

const emulator = await startForkedSqsEmulator();
const fauxqs = client(emulator.endpoint);
const fake = new FakeSqsClient();
/**
 * Two SQS back ends: fauxqs in its own process (HTTP, as in the consume benchmark), and the transport's in-memory
 * fake in this process, where nothing but the transport's own CPU work is measured: the worst case for a relative
 * cost, since a real queue adds network time per message that tracing does not touch.
 */
const backends = [
  [
    'fauxqs',
    {
      sqs: fauxqs,
      create: (name, fifo) => createQueue(fauxqs, name, fifo),
      remove: (url) => deleteQueue(fauxqs, url),
    },
  ],
  [
    'in-process fake SQS',
    {
      sqs: fake.asClient(),
      create: async (name) => fake.createQueue(name, { visibilityTimeoutSeconds: 60 }),
      remove: async () => undefined,
    },
  ],
].filter(([name]) => BACKENDS.includes(name === 'fauxqs' ? 'fauxqs' : 'fake'));
const rates = {};
/** CPU time of this process per message (process.cpuUsage): steadier than msg/s on a shared machine. */
const cpu = {};
let queueNumber = 0;
async function once(backend, groups, total, setUp) {
  queueNumber += 1;
  const queueUrl = await backend.create(`bench-tracing-${queueNumber}${groups ? '.fifo' : ''}`, Boolean(groups));
  await preload(backend.sqs, queueUrl, total, groups);
  setUp();
  try {
    const cpu = process.cpuUsage();
    const rate = await transport({ sqs: backend.sqs, queueUrl, total, loops: LOOPS });
    const used = process.cpuUsage(cpu);
    return { rate, cpuPerMessage: (used.user + used.system) / total };
  } finally {
    tracingOff();
    await backend.remove(queueUrl);
  }
}
try {
  for (const [backendName, backend] of backends) {
    for (const [kind, groups] of queueKinds) {
      const scenario = `${backendName}, ${kind}`;
      for (const [, setUp] of variants) await once(backend, groups, WARMUP, setUp); // warm-up, not counted
      rates[scenario] = {};
      cpu[scenario] = {};
      for (let round = 0; round < ROUNDS; round += 1) {
        const order = round % 2 === 0 ? variants : [...variants].reverse();
        for (const [name, setUp] of order) {
          const { rate, cpuPerMessage } = await once(backend, groups, TOTAL, setUp);
          (rates[scenario][name] ??= []).push(rate);
          (cpu[scenario][name] ??= []).push(cpuPerMessage);
          process.stderr.write(
            `  ${scenario} | ${name} | round ${round + 1}: ${Math.round(rate)} msg/s, ${cpuPerMessage.toFixed(1)} µs CPU/msg\n`,
          );
        }
      }
    }
  }
} finally {
  fauxqs.destroy();
  fake.destroy();
  await emulator.stop();
}

/** Runs this benchmark again, same sizes, in a child Node started with FRAME_FLAG; returns its rows. */
async function rowsWithAsyncContextFrames() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-tracing-'));
  const file = join(dir, 'rows.json');
  try {
    const child = spawn(process.execPath, [...process.execArgv, FRAME_FLAG, fileURLToPath(import.meta.url)], {
      env: { ...process.env, BENCH_TRACING_ROWS_TO: file },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const code = await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`the ${FRAME_FLAG} run exited with code ${code}`);
    return JSON.parse(readFileSync(file, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows = [];
for (const [scenario, byVariant] of Object.entries(rates)) {
  const off = median(byVariant[variants[0][0]]);
  const cpuOff = median(cpu[scenario][variants[0][0]]);
  for (const [name] of variants) {
    const rate = median(byVariant[name]);
    const cpuPerMessage = median(cpu[scenario][name]);
    rows.push({
      scenario,
      node: ASYNC_CONTEXT_FRAME ? FRAME_FLAG : 'default (promise hooks)',
      variant: name,
      'msgs/s (median)': Math.round(rate),
      'cost vs off': `${(((off - rate) / off) * 100).toFixed(1)} %`,
      'CPU µs/msg (median)': Number(cpuPerMessage.toFixed(1)),
      'CPU cost vs off': `${(((cpuPerMessage - cpuOff) / cpuOff) * 100).toFixed(1)} %`,
    });
  }
}
if (ROWS_TO) {
  writeFileSync(ROWS_TO, JSON.stringify(rows));
  process.exit(0);
}
if (RUN_WITH_FRAMES) rows.push(...(await rowsWithAsyncContextFrames()));

const notes = [
  `sqs-transport through a Nest microservice (bench/consume.mjs's transport contender), ${TOTAL} messages, no-op handler, median of ${ROUNDS} rounds, alternating which variant runs first, after one ${WARMUP}-message warm-up round of each; on fauxqs in its own process, and on the transport's in-memory FakeSqsClient (no network: the transport's CPU per message only, the worst case for a relative cost).`,
  'On, not exported: an SDK TracerProvider with the always-on sampler and no span processor, plus the AsyncLocalStorage context manager: every process span is created, filled with its attributes and ended, the handler runs in its context, nothing leaves the process.',
  "The preloaded messages carry no traceparent (bench/lib.mjs's preload), so each process span starts a trace; with one, the consumer also parses it (a 55-character check).",
  "Where the in-process cost comes from (bench/profile-tracing.mjs, CPU per message on the fake SQS, ~21 µs off): the SDK's process span with its attributes costs 2 to 3.5 µs; running the handler under it costs ~1 µs with async context frames, 7 to 10 µs with Node 22's default AsyncLocalStorage, whose promise hooks slow every promise of the process. Hence the rows with --experimental-async-context-frame (Node 24's default), which dev-stack passes to the services on Node 22.",
  'CPU µs/msg: CPU time of the benchmark process per message (process.cpuUsage; on fauxqs the emulator runs in its own process and is not counted), Nest application start included; steadier than msgs/s on a shared machine.',
  'Positive cost = slower with tracing on. Absolute rates are noisy on a shared 2-core machine; the ratio within one run is what counts.',
];
console.log(`\nTracing overhead on the consume path\n`);
console.table(rows);
for (const note of notes) console.log(`- ${note}`);
writeResults('tracing-overhead', {
  title: 'Tracing overhead on the consume path (off, and on but not exported)',
  rows,
  notes,
});
