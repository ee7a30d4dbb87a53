// Profiles the tracing-overhead benchmark's consume path on the in-process FakeSqsClient, one variant per process
// (not part of npm run bench): CPU per message (process.cpuUsage) and, with --profile, a .cpuprofile of the measured
// runs for bench/profile-summary.mjs.
//   node bench/profile-tracing.mjs off|on|spans [fifo] [--profile]   -> /tmp/tracing-<variant>.cpuprofile
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { FakeSqsClient } from '@sqsref/sqs-transport/testing';
import { transport } from './consume.mjs';
import { preload, sizeFromEnv } from './lib.mjs';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AlwaysOnSampler, TracerProvider } from '@opentelemetry/sdk-trace';

const TOTAL = sizeFromEnv('BENCH_MESSAGES', 5_000);
const RUNS = sizeFromEnv('BENCH_ROUNDS', 3);
const [which = 'off', ...flags] = process.argv.slice(2);
const groups = flags.includes('fifo') ? 50 : undefined;
const profiling = flags.includes('--profile');
/** off: no SDK; on: provider + AsyncLocalStorage context manager (the benchmark's "on"); spans: provider only. */
function setUp() {
  if (which === 'off') return;
  if (which === 'on') context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  if (which === 'on' || which === 'spans') {
    trace.setGlobalTracerProvider(new TracerProvider({ sampler: new AlwaysOnSampler(), spanProcessors: [] }));
    return;
  }
  throw new Error(`unknown variant "${which}": off, on or spans`);
}
const fake = new FakeSqsClient();
const sqs = fake.asClient();
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
setUp();
const perMessage = [];
for (let run = 0; run <= RUNS; run += 1) {
  const queueUrl = fake.createQueue(`profile-${run}${groups ? '.fifo' : ''}`, { visibilityTimeoutSeconds: 60 });
  await preload(sqs, queueUrl, TOTAL, groups);
  if (run > 0 && profiling) await session.post('Profiler.start'); // run 0 is the warm-up
  const cpu = process.cpuUsage();
  const rate = await transport({ sqs, queueUrl, total: TOTAL, loops: 8 });
  const used = process.cpuUsage(cpu);
  if (run > 0) {
    if (profiling) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(`/tmp/tracing-${which}${groups ? '-fifo' : ''}-${run}.cpuprofile`, JSON.stringify(profile));
    }
    perMessage.push((used.user + used.system) / TOTAL);
  }
  console.error(
    `${which} run ${run}: ${Math.round(rate)} msg/s, ${((used.user + used.system) / TOTAL).toFixed(1)} µs CPU/msg`,
  );
}
perMessage.sort((a, b) => a - b);
console.log(
  `${which}${groups ? ' fifo' : ''}: median ${perMessage[Math.floor(perMessage.length / 2)].toFixed(1)} µs CPU per message`,
);
session.disconnect();
fake.destroy();
