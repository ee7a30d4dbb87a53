#!/usr/bin/env node
import { processIo } from '../cli/io.js';
import { runOutboxCli } from '../cli/outbox-cli.js';

process.exitCode = await runOutboxCli(process.argv.slice(2), processIo());
