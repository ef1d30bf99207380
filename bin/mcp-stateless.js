#!/usr/bin/env node
// Thin launcher: everything else is loaded on demand by the command that needs it.
import { main } from "../dist/src/cli.js";
process.exitCode = await main(process.argv.slice(2));
