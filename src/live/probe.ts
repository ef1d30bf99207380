/** Live checks of running servers (filled in below). */
import { UserError } from "../errors.ts";

export async function probe(options: { urls: string[]; token?: string | undefined; tokenB?: string | undefined; allowWrites: boolean; json: boolean }): Promise<number> {
  void options;
  throw new UserError("check --url is not available yet");
}
