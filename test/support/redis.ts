/** A real redis-server (Debian's) on a free loopback port, with no persistence, for tests. */
import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "./processes.ts";

export interface RunningRedis {
  url: string;
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is persisted). */
  start(): Promise<void>;
}

export async function startRedis(): Promise<RunningRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const server = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
      child = server;
      let output = "";
      const timer = setTimeout(() => reject(new Error(`redis-server did not start in 10 s:\n${output}`)), 10_000);
      server.stdout!.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Ready to accept connections")) {
          clearTimeout(timer);
          resolve();
        }
      });
      server.once("error", (error) => {
        clearTimeout(timer);
        reject(new Error(`cannot run redis-server (scripts/test.sh installs it from Debian): ${error.message}`));
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  await start();
  return { url: `redis://127.0.0.1:${port}`, stop, start };
}
