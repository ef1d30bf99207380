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

/**
 * An error's message with the causes under it: `fetch failed` alone does not say that the
 * connection was refused, its cause does.
 */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let at: unknown = error; at !== undefined && at !== null && parts.length < 5; at = (at as { cause?: unknown }).cause) {
    const message = at instanceof Error ? at.message : String(at);
    if (message && !parts.some((part) => part.includes(message))) parts.push(message);
    if (!(at instanceof Error)) break;
  }
  return parts.join(": ");
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
