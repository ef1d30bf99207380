/**
 * What `create` can be asked, and the pure rules for answers: defaults, the package manager
 * that launched us, and package-name checks with a suggestion.
 */
export const TEMPLATES = ["basket", "database", "blank"] as const;
export const STORES = ["sqlite", "memory"] as const;
export const TRANSPORTS = ["both", "http", "stdio"] as const;
export const PACKAGE_MANAGERS = ["npm", "pnpm", "yarn", "bun"] as const;

export type Template = (typeof TEMPLATES)[number];
export type Store = (typeof STORES)[number];
export type Transport = (typeof TRANSPORTS)[number];
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

export const TEMPLATE_HINTS: Record<Template, string> = {
  basket: "one handle kind: create a basket, add items, check out",
  database: "a connection handle around a real SQLite file: connect, list tables, query, close",
  blank: "one handle kind and one tool to start from",
};

export interface CreateChoices {
  /** Folder to create, as given (relative to the current folder). */
  dir: string;
  /** package.json name and server name. */
  name: string;
  template: Template;
  store: Store;
  transport: Transport;
  packageManager: PackageManager;
  git: boolean;
  install: boolean;
}

export const DEFAULT_DIR = "mcp-server";

/** npm, pnpm, yarn and bun all say who they are in npm_config_user_agent ("pnpm/9.1.0 npm/? node/v22…"). */
export function packageManagerFromUserAgent(userAgent: string | undefined): PackageManager | undefined {
  const name = userAgent?.split(" ")[0]?.split("/")[0];
  return PACKAGE_MANAGERS.find((pm) => pm === name);
}

/** Lockfiles and the package manager each belongs to; a project with none of them is npm's. */
export const LOCKFILES: ReadonlyArray<[string, PackageManager]> = [
  ["pnpm-lock.yaml", "pnpm"],
  ["yarn.lock", "yarn"],
  ["bun.lock", "bun"],
  ["bun.lockb", "bun"],
];

/** Commands as each package manager spells them. */
export function commandsOf(pm: PackageManager) {
  return {
    install: pm === "yarn" ? ["yarn"] : [pm, "install"],
    add: (packages: string[]) => [pm === "npm" ? "npm install" : `${pm} add`, ...packages].join(" "),
    run: (script: string) => (pm === "npm" || pm === "bun" ? `${pm} run ${script}` : `${pm} ${script}`),
  };
}
