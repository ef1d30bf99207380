/** Child processes for end-to-end tests: commands that must succeed, and servers on loopback. */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/** Runs a command to completion; throws with its output if it fails. */
export function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, ...env }, timeout: 600_000 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd} (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  /** Sends SIGTERM and resolves with the exit code once it has exited. */
  stop(): Promise<number | null>;
  /** All it has printed so far, stdout and stderr. */
  output(): string;
  /** Resolves once the server has printed `text` (at most 30 s). */
  printed(text: string): Promise<void>;
  /** Ends it at once (SIGKILL), as a crash or a lost machine would. */
  kill(): void;
}

/**
 * Starts a server (`node <entry>`, or a command such as `npm start`) in its own process group
 * and waits until it prints that it is serving (at most 30 s). `user` runs it as another user.
 * `env` may depend on the server's own URL (an OAuth audience names it), which is chosen here.
 */
export async function startServer(
  cwd: string,
  command: string | string[],
  env: Record<string, string> | ((url: string) => Record<string, string>),
  user?: { uid: number; gid: number },
): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/mcp`;
  const [bin, ...args] = typeof command === "string" ? [process.execPath, command] : command;
  const child: ChildProcess = spawn(bin!, args, {
    cwd,
    env: { ...process.env, HOST: "127.0.0.1", ...(typeof env === "function" ? env(url) : env), PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
    ...user,
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("serving MCP at")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before serving:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
    },
    printed: (text) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`server did not print ${JSON.stringify(text)} in 30 s:\n${output}`)), 30_000);
        const check = () => {
          if (!output.includes(text)) return;
          clearTimeout(timer);
          child.stdout!.off("data", check);
          child.stderr!.off("data", check);
          resolve();
        };
        child.stdout!.on("data", check);
        child.stderr!.on("data", check);
        check();
      }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
        // The whole group: `npm start` runs the server as its child.
        process.kill(-child.pid!, "SIGTERM");
      }),
  };
}

/** Packs this repository (building it first, through prepack) and returns the tarball's path. */
export function packTarball(repoRoot: string, destination: string): string {
  const packed = run("npm", ["pack", "--silent", "--pack-destination", destination], repoRoot).trim().split("\n").at(-1)!;
  return `${destination}/${packed}`;
}
