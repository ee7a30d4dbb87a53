// Consume throughput, compared fairly (npm run bench runs it first): every contender at equal concurrency (8 receive
// loops each, and 1 each), on a standard queue and on FIFO with 50 groups, medians of BENCH_ROUNDS rounds, the order of
// contenders rotated each round, a warm-up run for each. Writes bench/results/consume.json.
import { startForkedSqsEmulator } from '@sqsref/dev-stack';
import { contenders } from './consume.mjs';
import { client, createQueue, deleteQueue, median, preload, rotated, sizeFromEnv, writeResults } from './lib.mjs';

const TOTAL = sizeFromEnv('BENCH_MESSAGES', 5_000);
const ROUNDS = sizeFromEnv('BENCH_ROUNDS', 3);
const WARMUP = Math.min(TOTAL, 500);
const LOOPS = [8, 1];
const scenarios = [
  { queue: 'standard', groups: undefined },
  { queue: 'FIFO, 50 groups', groups: 50 },
];

const emulator = await startForkedSqsEmulator();
const sqs = client(emulator.endpoint);
let queueNumber = 0;

async function measure(contender, groups, total) {
  queueNumber += 1;
  const queueUrl = await createQueue(sqs, `bench-${queueNumber}${groups ? '.fifo' : ''}`, Boolean(groups));
  try {
    await preload(sqs, queueUrl, total, groups);
    return await contender.run({ sqs, queueUrl, total });
  } finally {
    await deleteQueue(sqs, queueUrl);
  }
}

const rows = [];
const notes = [];
try {
  for (const { queue, groups } of scenarios) {
    for (const loops of LOOPS) {
      const field = contenders(loops);
      for (const contender of field) await measure(contender, groups, WARMUP); // warm-up, not counted
      const rates = new Map(field.map((contender) => [contender, []]));
      for (let round = 0; round < ROUNDS; round += 1) {
        for (const contender of rotated(field, round)) {
          const rate = await measure(contender, groups, TOTAL);
          rates.get(contender).push(rate);
          process.stderr.write(`  ${queue} | ${contender.name} | round ${round + 1}: ${Math.round(rate)} msg/s\n`);
        }
      }
      const medians = new Map(field.map((contender) => [contender, median(rates.get(contender))]));
      const ceiling = field.find((contender) => contender.ceiling);
      const reference = field.find((contender) => contender.reference);
      const fastest = [...medians].sort((a, b) => b[1] - a[1])[0][0];
      for (const contender of field) {
        const rate = medians.get(contender);
        rows.push({
          queue,
          contender: contender.name,
          'msgs/s': Math.round(rate),
          rounds: rates.get(contender).map(Math.round).join(' / '),
          'vs raw loop, pipelined': (rate / medians.get(ceiling)).toFixed(2),
          'vs sqs-consumer': (rate / medians.get(reference)).toFixed(2),
        });
      }
      notes.push(
        fastest === ceiling
          ? `${queue}, ${loops} loop(s): the pipelined raw loop was the fastest, so it is the ceiling.`
          : `${queue}, ${loops} loop(s): "${fastest.name}" beat the pipelined raw loop, so the raw loop is no ceiling here; read its column as a reference only.`,
      );
    }
  }
} finally {
  sqs.destroy();
  await emulator.stop();
}

notes.unshift(
  `${TOTAL} no-op messages per run, median of ${ROUNDS} rounds, contenders rotated each round, one ${WARMUP}-message warm-up each; fauxqs 2.4.1 in memory in its own process. A message counts once its delete succeeded.`,
);
const title = 'Consume throughput at equal concurrency';
console.log(`\n${title}\n`);
console.table(rows);
for (const note of notes) console.log(`- ${note}`);
writeResults('consume', { title, rows, notes });
