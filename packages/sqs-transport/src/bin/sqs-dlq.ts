#!/usr/bin/env node
import { processIo } from '../cli/cli-io.js';
import { runDlqCli } from '../cli/dlq-cli.js';

// Ctrl-C (or SIGTERM) stops a redrive between two messages and releases what it holds; a second one kills at once.
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());

process.exitCode = await runDlqCli(process.argv.slice(2), processIo(), { signal: stop.signal });
