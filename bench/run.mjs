// npm run bench: every benchmark, side by side in one run, medians of 3. Results go to bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { rawLoop, sqsConsumer, transport } from './consume.mjs';
import { startForkedSqsEmulator } from '@sqsref/dev-stack';
import { client, createQueue, deleteQueue, median, preload } from './lib.mjs';

const TOTAL = Number(process.env.BENCH_MESSAGES ?? 5_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const implementations = [
  ['raw SDK loop, 8 pollers', rawLoop],
  ['sqs-consumer, batchSize 10', (args) => sqsConsumer({ ...args, batch: false })],
  ['sqs-consumer, handleMessageBatch', (args) => sqsConsumer({ ...args, batch: true })],
  ['sqs-transport (Nest), 8 pollers', transport],
];
const scenarios = [
  ['standard queue', undefined],
  ['FIFO, 50 groups', 50],
];

const emulator = await startForkedSqsEmulator();
const sqs = client(emulator.endpoint);
const results = {};
let queueNumber = 0;
try {
  for (const [scenario, groups] of scenarios) {
    results[scenario] = {};
    for (let round = 0; round < ROUNDS; round += 1) {
      // Interleave implementations within each round, so drift on a noisy machine hits them alike.
      for (const [name, run] of implementations) {
        queueNumber += 1;
        const queueUrl = await createQueue(sqs, `bench-${queueNumber}${groups ? '.fifo' : ''}`, Boolean(groups));
        await preload(sqs, queueUrl, TOTAL, groups);
        const rate = await run({ sqs, queueUrl, total: TOTAL });
        await deleteQueue(sqs, queueUrl);
        (results[scenario][name] ??= []).push(rate);
        process.stderr.write(`  ${scenario} | ${name} | round ${round + 1}: ${Math.round(rate)} msg/s\n`);
      }
    }
  }
} finally {
  sqs.destroy();
  await emulator.stop();
}

const rows = [];
for (const [scenario, byImpl] of Object.entries(results)) {
  const raw = median(byImpl['raw SDK loop, 8 pollers']);
  const bestSqsConsumer = Math.max(
    median(byImpl['sqs-consumer, batchSize 10']),
    median(byImpl['sqs-consumer, handleMessageBatch']),
  );
  for (const [name, rates] of Object.entries(byImpl)) {
    const rate = median(rates);
    rows.push({
      scenario,
      implementation: name,
      'msgs/s (median)': Math.round(rate),
      'vs raw loop': (rate / raw).toFixed(2),
      'vs best sqs-consumer': (rate / bestSqsConsumer).toFixed(2),
    });
  }
}
console.log(
  `\nConsume throughput, ${TOTAL} messages, no-op handler, median of ${ROUNDS} (fauxqs in its own process)\n`,
);
console.table(rows);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./results/latest.json', import.meta.url),
  JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2),
);
