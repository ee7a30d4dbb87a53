// Profiles one consume contender alone (not part of npm run bench): where its process spends CPU per message, the
// preload excluded (the profiler runs only while the contender consumes; fauxqs runs in its own process).
//   node bench/profile-consume.mjs [transport|raw|sqs-consumer] [fifo]   -> /tmp/consume-<contender>.cpuprofile
//   node bench/profile-summary.mjs /tmp/consume-transport.cpuprofile       -> self time by package and module
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { startForkedSqsEmulator } from '@sqsref/dev-stack';
import { contenders } from './consume.mjs';
import { client, createQueue, deleteQueue, preload, sizeFromEnv } from './lib.mjs';

const TOTAL = sizeFromEnv('BENCH_MESSAGES', 5_000);
const which = process.argv[2] ?? 'transport';
const groups = process.argv[3] === 'fifo' ? 50 : undefined;
const contender = contenders(8).find((entry) =>
  which === 'transport' ? entry.transport : which === 'raw' ? entry.ceiling : entry.reference,
);
if (!contender) throw new Error(`unknown contender "${which}": transport, raw or sqs-consumer`);
const emulator = await startForkedSqsEmulator();
const sqs = client(emulator.endpoint);
const session = new Session();
session.connect();
await session.post('Profiler.enable');
try {
  for (let run = 0; run < 3; run += 1) {
    const queueUrl = await createQueue(sqs, `profile-${run}${groups ? '.fifo' : ''}`, Boolean(groups));
    await preload(sqs, queueUrl, TOTAL, groups);
    if (run > 0) await session.post('Profiler.start'); // run 0 is the warm-up
    const rate = await contender.run({ sqs, queueUrl, total: TOTAL });
    if (run > 0) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(`/tmp/consume-${which}${groups ? '-fifo' : ''}-${run}.cpuprofile`, JSON.stringify(profile));
    }
    console.log(`${contender.name}: ${Math.round(rate)} msg/s`);
    await deleteQueue(sqs, queueUrl);
  }
} finally {
  session.disconnect();
  sqs.destroy();
  await emulator.stop();
}
