import type { CreateNoteHandler } from "../generated/types.ts";

/** `create_note` creates a note handle: its state is what later tools will read. */
export const createNote: CreateNoteHandler = async ({ input }) => {
  return { state: { text: input.text } };
};
