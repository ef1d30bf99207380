/** A place in a user's file, for messages of the form `file:line:col`. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export function formatLocation(at: SourceLocation): string {
  return `${at.file}:${at.line}:${at.column}`;
}

/**
 * A problem with what the user gave us (flags, spec, files): printed without a stack
 * trace and exits with code 2. Anything else that escapes is a bug in this tool.
 */
export class UserError extends Error {
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = "UserError";
    this.hint = hint;
  }
}

/** One finding about a spec, at a place in the spec file. */
export interface Problem {
  message: string;
  at: SourceLocation;
}

/** Several spec problems reported at once, so a user fixes them in one pass. */
export class SpecError extends UserError {
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    super(problems.map((p) => `${formatLocation(p.at)}: ${p.message}`).join("\n"));
    this.name = "SpecError";
    this.problems = problems;
  }
}
