/**
 * A stateless MCP deployment on loopback: a generated server (redis store) run as several
 * instances behind nginx (round-robin), all sharing one Redis. Used by the cluster test and
 * by `npm run demo:cluster`; everything listens on 127.0.0.1 and stops with `stop()`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, startServer, type RunningServer } from "../test/support/processes.ts";
import { startRedis, type RunningRedis } from "../test/support/redis.ts";

export interface Cluster {
  /** nginx's address: what clients use. */
  url: string;
  instances: RunningServer[];
  redis: RunningRedis;
  stop(): Promise<void>;
}

/** `env` is set on every instance, as a deployment sets its shared settings (MCP_STATE_SECRET, say). */
export async function startCluster(projectDir: string, instanceCount = 3, env: Record<string, string> = {}): Promise<Cluster> {
  const redis = await startRedis();
  const instances: RunningServer[] = [];
  for (let i = 0; i < instanceCount; i++) instances.push(await startServer(projectDir, "src/http.ts", { ...env, REDIS_URL: redis.url, MCP_HANDLE_STORE: "redis" }));
  const port = await freePort();
  const nginx = await startNginx(port, instances.map((s) => new URL(s.url).port));
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    instances,
    redis,
    async stop() {
      await nginx.stop();
      for (const instance of instances) await instance.stop();
      await redis.stop();
    },
  };
}

async function startNginx(port: number, upstreamPorts: string[]): Promise<{ stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), "mcp-cluster-nginx-"));
  chmodSync(dir, 0o755); // nginx's workers may run as another user
  for (const sub of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(path.join(dir, sub), { mode: 0o777 });
  const conf = `daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
worker_processes 1;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  # Plain round-robin: no stickiness, any instance answers any request.
  upstream mcp {
${upstreamPorts.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join("\n")}
  }
  server {
    listen 127.0.0.1:${port};
    location /mcp {
      proxy_pass http://mcp;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_buffering off;
      proxy_next_upstream error timeout;
      proxy_connect_timeout 1s;
    }
  }
}
`;
  writeFileSync(path.join(dir, "nginx.conf"), conf);
  const child: ChildProcess = spawn("nginx", ["-p", dir, "-c", path.join(dir, "nginx.conf")], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.once("error", (error) => (stderr += `cannot run nginx (scripts/test.sh installs it from Debian): ${error.message}`));
  // Ready when it answers (GET is 405 from the instances behind it).
  for (let attempt = 0; ; attempt++) {
    const answered = await fetch(`http://127.0.0.1:${port}/mcp`).then((r) => r.status, () => 0);
    if (answered) break;
    if (attempt > 100 || child.exitCode !== null) throw new Error(`nginx did not start:\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once("exit", done);
        child.kill("SIGQUIT");
      }),
  };
}
