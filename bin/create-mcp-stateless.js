#!/usr/bin/env node
// `npm create mcp-stateless` runs this bin: the same CLI, with `create` as the command.
import { main } from "../dist/src/cli.js";
process.exitCode = await main(["create", ...process.argv.slice(2)]);
