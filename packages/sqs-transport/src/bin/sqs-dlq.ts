#!/usr/bin/env node
import { processIo } from '../cli/cli-io.js';
import { runDlqCli } from '../cli/dlq-cli.js';

process.exitCode = await runDlqCli(process.argv.slice(2), processIo());
