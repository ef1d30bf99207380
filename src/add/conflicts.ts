/**
 * New files go through yeoman's conflicter: a missing file is created, an identical one is
 * skipped silently, and one that differs is overwritten only with --force or a "yes" typed
 * at the terminal. Without either, the whole add is refused and nothing is written.
 */
import path from "node:path";
import { Conflicter } from "@yeoman/conflicter";
import prompts from "prompts";
import { UserError } from "../errors.ts";

export interface NewFile {
  path: string;
  content: string;
  /** An AST edit of a file the project already has: applied as it is, not treated as a conflict. */
  edit?: boolean;
}

export async function checkConflicts(root: string, files: NewFile[], options: { force: boolean; interactive: boolean }): Promise<NewFile[]> {
  const refused: string[] = [];
  const quiet = () => {};
  const adapter = {
    log: Object.assign(quiet, { writeln: quiet, conflict: quiet, create: quiet, identical: quiet, skip: quiet, force: quiet, info: quiet }),
    async prompt() {
      return { action: "skip" };
    },
  };
  const conflicter = new Conflicter(adapter as never, { force: options.force, cwd: root });
  const toWrite: NewFile[] = [];
  for (const file of files) {
    if (file.edit) {
      toWrite.push(file);
      continue;
    }
    const checked = await conflicter.checkForCollision({ path: path.join(root, file.path), contents: Buffer.from(file.content) } as never);
    const status = (checked as { conflicter?: string }).conflicter;
    if (status === "create" || status === "force") toWrite.push(file);
    else if (status !== "identical" && status !== "skip") refused.push(file.path);
    else if ((checked as { changesDetected?: boolean }).changesDetected) refused.push(file.path);
  }
  if (refused.length && options.interactive) {
    for (const file of [...refused]) {
      const { overwrite } = await prompts({ type: "confirm", name: "overwrite", message: `${file} exists and differs. Overwrite it?`, initial: false });
      if (overwrite === true) {
        toWrite.push(files.find((f) => f.path === file)!);
        refused.splice(refused.indexOf(file), 1);
      }
    }
  }
  if (refused.length) {
    throw new UserError(`these files exist and differ from what add would write; nothing was changed:\n${refused.map((f) => `  ${f}`).join("\n")}`, "pass --force to overwrite them");
  }
  return toWrite;
}
