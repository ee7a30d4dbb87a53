#!/usr/bin/env node
import { processIo } from '../cli/io.js';
import { runMigrateCli } from '../cli/migrate-cli.js';

process.exitCode = await runMigrateCli(process.argv.slice(2), processIo());
