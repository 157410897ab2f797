#!/usr/bin/env node
// The `firelink-provision` binary: wires process streams to the CLI (cli-main.ts).
import { main } from './cli-main.js';

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
