/**
 * A Dockerfile of ours carried out without Docker (this machine has a Docker client but no
 * daemon): its instructions in order, COPY from the build context and RUN in a shell, into a
 * folder that stands for the image's WORKDIR (paths under it in ENV values are moved there too);
 * then what the image would start with (ENV, USER, CMD, HEALTHCHECK). Only the instructions our
 * Dockerfiles use are understood; any other fails.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";

export interface Image {
  /** The folder standing for the image's WORKDIR. */
  root: string;
  env: Record<string, string>;
  /** The USER the command runs as, numeric (names would need the base image's /etc/passwd). */
  user?: { uid: number; gid: number };
  cmd: string[];
  healthcheck?: string[];
}

/**
 * Builds `dockerfile` from `context` into `root`. `absent` names context files to treat as
 * missing (a project without npm's lockfile, say); `node` is the Node binary RUN steps find
 * first on their PATH. RUN steps run as root, as Docker's do until a USER instruction, so
 * building needs root.
 */
export function buildImage(dockerfile: string, context: string, root: string, { absent = [], node = process.execPath }: { absent?: string[]; node?: string } = {}): Image {
  const PATH = `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ""}`;
  const image: Image = { root, env: {}, cmd: [] };
  let workdir = "/";
  // A path in the image, as a path in the folder standing for it (ENV values name such paths).
  const local = (value: string) => (value === workdir || value.startsWith(`${workdir}/`) ? root + value.slice(workdir.length) : value);
  const lines = dockerfile
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.startsWith("#"));
  for (const line of lines) {
    const [instruction, rest = ""] = splitOnce(line);
    switch (instruction) {
      case "FROM":
      case "EXPOSE":
        break;
      case "WORKDIR":
        workdir = rest;
        break;
      case "COPY":
        copy(rest.split(/\s+/), context, root, absent);
        break;
      case "RUN": {
        const { uid, gid } = image.user ?? {};
        const result = spawnSync("sh", ["-c", rest], { cwd: root, env: { ...process.env, PATH, ...image.env }, encoding: "utf8", uid, gid, timeout: 600_000 });
        if (result.status !== 0) throw new Error(`RUN ${rest} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
        break;
      }
      case "ENV":
        for (const pair of rest.split(/\s+/)) {
          const [name, value] = splitOnce(pair, "=");
          if (value === undefined) throw new Error(`ENV ${rest}: only the name=value form is understood`);
          image.env[name] = local(value);
        }
        break;
      case "USER": {
        const match = /^(\d+):(\d+)$/.exec(rest);
        if (!match) throw new Error(`USER ${rest}: only a numeric uid:gid is understood`);
        image.user = { uid: Number(match[1]), gid: Number(match[2]) };
        break;
      }
      case "CMD":
        image.cmd = JSON.parse(rest) as string[];
        break;
      case "HEALTHCHECK":
        image.healthcheck = JSON.parse(rest.slice(rest.indexOf("CMD ") + 4)) as string[];
        break;
      default:
        throw new Error(`the image emulation does not understand ${instruction}: ${line}`);
    }
  }
  return image;
}

/** COPY's rules for what ours do: several sources (or a trailing /) go into a folder, `*` globs. */
function copy(args: string[], context: string, root: string, absent: string[]): void {
  const destination = args.at(-1)!;
  const sources = args.slice(0, -1).flatMap((source) => {
    if (!source.includes("*")) {
      if (!existsSync(path.join(context, source)) || absent.includes(source)) throw new Error(`COPY: ${source} is not in the build context`);
      return [source];
    }
    const pattern = new RegExp(`^${source.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
    return readdirSync(context).filter((name) => pattern.test(name) && !absent.includes(name));
  });
  const intoFolder = destination.endsWith("/") || args.length > 2;
  for (const source of sources) {
    cpSync(path.join(context, source), path.join(root, destination, intoFolder ? path.basename(source) : ""), { recursive: true });
  }
}

function splitOnce(text: string, separator = " "): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}

/**
 * This Node as `user` can run it: itself, or a copy in `scratch` when it sits under a folder
 * only its owner may enter (a checkout in root's home, say).
 */
export function nodeRunnableBy(user: { uid: number; gid: number }, scratch: string): string {
  if (spawnSync(process.execPath, ["-e", "0"], user).status === 0) return process.execPath;
  const copy = path.join(scratch, "node-bin", "node");
  if (!existsSync(copy)) {
    mkdirSync(path.dirname(copy), { recursive: true, mode: 0o755 });
    copyFileSync(process.execPath, copy);
  }
  return copy;
}
