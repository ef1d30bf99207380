#!/usr/bin/env node
// `npm create mcp-stateless` runs this bin: the same CLI, with `create` as the command.
import { launch } from "../dist/src/launch.js";
process.exitCode = await launch(["create", ...process.argv.slice(2)]);
