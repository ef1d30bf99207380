#!/usr/bin/env node
// Thin launcher: checks the Node version, then loads the CLI; each command loads what it needs.
import { launch } from "../dist/src/launch.js";
process.exitCode = await launch(process.argv.slice(2));
