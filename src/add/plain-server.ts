/** Adding a tool to a plain SDK v2 server (no spec). */
import { UserError } from "../errors.ts";

export interface PlainAddition {
  name: string;
  role: { role: "creates" | "uses" | "destroys"; kind: string } | undefined;
  description: string | undefined;
  entry: string | undefined;
  factory: string | undefined;
  force: boolean;
  interactive: boolean;
}

export async function addToPlainServer(root: string, addition: PlainAddition): Promise<number> {
  void addition;
  throw new UserError(`no mcp.spec.ts in ${root}`, "adding to a plain SDK server is not available yet; create a spec project with `npm create mcp-stateless`");
}
