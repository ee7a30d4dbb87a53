#!/usr/bin/env node
import { processIo } from '../cli/io.js';
import { runDriftCli } from '../cli/drift-cli.js';

process.exitCode = await runDriftCli(process.argv.slice(2), processIo());
