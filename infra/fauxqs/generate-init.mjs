#!/usr/bin/env node
// Writes infra/fauxqs/init.json, the FAUXQS_INIT file of docker-compose.yml's `fauxqs` profile, from
// infra/queues.json, the one definition of every queue. Run it after editing queues.json; a test
// (tooling/infra/compose.spec.ts) fails while the committed file differs from what this prints.
//
//   node infra/fauxqs/generate-init.mjs           rewrite init.json
//   node infra/fauxqs/generate-init.mjs --check   exit 1 when init.json is out of date
//   node infra/fauxqs/generate-init.mjs --stdout  print instead of writing
//
// Plain Node, no workspace imports: it runs on a fresh clone before anything is built. The defaults are
// the ones of packages/sqs-transport's parseQueueDefinitions and infra/localstack/queues.py.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// fauxqs's defaults (README "Environment variables"): the DLQ ARNs below must name the queues it creates.
const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const RETENTION_DEFAULT = 1_209_600;
const VISIBILITY_DEFAULT = 30;
const MAX_RECEIVE_DEFAULT = 5;

const queuesFile = fileURLToPath(new URL('../queues.json', import.meta.url));
const initFile = fileURLToPath(new URL('init.json', import.meta.url));

/** fauxqs's init config (README "Init config schema reference") for the queues of a parsed queues.json. */
export function fauxqsInit(definitions) {
  const queues = [];
  const dlqs = new Set();
  for (const queue of definitions.queues) {
    const fifo = queue.name.endsWith('.fifo');
    const retention = String(queue.messageRetentionSeconds ?? RETENTION_DEFAULT);
    const attributes = {
      VisibilityTimeout: String(queue.visibilityTimeoutSeconds ?? VISIBILITY_DEFAULT),
      MessageRetentionPeriod: retention,
    };
    if (fifo) attributes.FifoQueue = 'true';
    if (queue.contentBasedDeduplication !== undefined) {
      attributes.ContentBasedDeduplication = String(queue.contentBasedDeduplication);
    }
    if (queue.deadLetter) {
      // The DLQ comes first: a redrive policy may only name a queue that exists. Queues may share one.
      if (!dlqs.has(queue.deadLetter.name)) {
        dlqs.add(queue.deadLetter.name);
        queues.push({
          name: queue.deadLetter.name,
          attributes: { MessageRetentionPeriod: retention, ...(fifo ? { FifoQueue: 'true' } : {}) },
        });
      }
      attributes.RedrivePolicy = JSON.stringify({
        deadLetterTargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${queue.deadLetter.name}`,
        maxReceiveCount: queue.deadLetter.maxReceiveCount ?? MAX_RECEIVE_DEFAULT,
      });
    }
    queues.push({ name: queue.name, attributes });
  }
  return { queues };
}

/** The file's exact text: 2-space JSON and a final newline, as prettier leaves it. */
export function renderInit(definitions) {
  return `${JSON.stringify(fauxqsInit(definitions), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const mode = process.argv[2];
  const text = renderInit(JSON.parse(readFileSync(queuesFile, 'utf8')));
  if (mode === '--stdout') {
    process.stdout.write(text);
  } else if (mode === '--check') {
    let current = '';
    try {
      current = readFileSync(initFile, 'utf8');
    } catch {
      // reported as out of date below
    }
    if (current !== text) {
      console.error('infra/fauxqs/init.json is out of date: run `node infra/fauxqs/generate-init.mjs`.');
      process.exit(1);
    }
  } else if (mode === undefined) {
    writeFileSync(initFile, text);
  } else {
    console.error(`unknown option ${mode}; use --check, --stdout or nothing`);
    process.exit(2);
  }
}
