/**
 * The interactive questions, asked only for what flags did not settle and only on a
 * terminal. Ctrl-C at any of them throws Cancelled before anything is written.
 */
import prompts, { type PromptObject } from "prompts";
import {
  PACKAGE_MANAGERS,
  STORES,
  TEMPLATE_HINTS,
  TEMPLATES,
  TRANSPORTS,
  type CreateChoices,
} from "./options.ts";

export class Cancelled extends Error {}

/**
 * Asks for each missing choice; `defaults` fills the initial answers. `checkDir` refuses a
 * folder at its prompt (true, or what is wrong), so the question is asked again.
 */
export async function ask(
  given: Partial<CreateChoices>,
  defaults: CreateChoices,
  insideRepo: boolean,
  checkDir: (dir: string) => true | string = () => true,
): Promise<CreateChoices> {
  const questions: PromptObject[] = [];
  const choose = <T extends string>(values: readonly T[], hints?: Record<string, string>) =>
    values.map((value) => ({ title: value, value, description: hints?.[value] }));
  if (given.dir === undefined) {
    questions.push({
      type: "text",
      name: "dir",
      message: "Project folder",
      initial: defaults.dir,
      validate: (value: string) => (value.trim() ? checkDir(value.trim()) : "Enter a folder name"),
    });
  }
  if (given.template === undefined) {
    questions.push({ type: "select", name: "template", message: "Template", choices: choose(TEMPLATES, TEMPLATE_HINTS), initial: 0 });
  }
  if (given.store === undefined) {
    questions.push({
      type: "select",
      name: "store",
      message: "Handle store",
      choices: choose(STORES, { sqlite: "a file: survives restarts, shared by processes on this host", memory: "in process: for tests and trying things" }),
      initial: 0,
    });
  }
  if (given.transport === undefined) {
    questions.push({ type: "select", name: "transport", message: "Transports", choices: choose(TRANSPORTS, { both: "HTTP and stdio" }), initial: 0 });
  }
  if (given.packageManager === undefined) {
    questions.push({
      type: "select",
      name: "packageManager",
      message: "Package manager",
      choices: choose(PACKAGE_MANAGERS),
      initial: PACKAGE_MANAGERS.indexOf(defaults.packageManager),
    });
  }
  if (given.git === undefined && !insideRepo) {
    questions.push({ type: "confirm", name: "git", message: "Initialise a git repository?", initial: true });
  }
  if (given.install === undefined) {
    questions.push({ type: "confirm", name: "install", message: "Install dependencies now?", initial: true });
  }
  const answers = await prompts(questions, {
    onCancel: () => {
      throw new Cancelled();
    },
  });
  return { ...defaults, ...given, ...answers } as CreateChoices;
}

/** Asks whether to replace a folder's contents; false on a plain Enter. */
export async function confirmOverwrite(dir: string): Promise<boolean> {
  const { overwrite } = await prompts(
    { type: "confirm", name: "overwrite", message: `${dir} is not empty. Remove its contents (except .git) and create the project there?`, initial: false },
    {
      onCancel: () => {
        throw new Cancelled();
      },
    },
  );
  return overwrite === true;
}
