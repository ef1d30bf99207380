// Runs the CLI from this checkout's TypeScript sources (Node strips the types), for terminal tests.
const { main } = await import("../../src/cli.ts");
process.exitCode = await main(process.argv.slice(2));
