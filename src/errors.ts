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

const FILE_PROBLEMS: Record<string, string> = {
  EISDIR: "a directory stands where a file goes",
  ENOTDIR: "a file stands where a directory goes",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
};

/**
 * A file system error the user's machine caused (a directory in a file's place, a read-only
 * folder, a full disk) as a UserError naming the file; anything else as it was.
 */
export function asFileProblem(error: unknown, doing: string, shown: (file: string) => string): unknown {
  const { code, path } = error as NodeJS.ErrnoException;
  const reason = code === undefined ? undefined : FILE_PROBLEMS[code];
  if (reason === undefined || path === undefined) return error;
  return new UserError(`${doing} ${shown(String(path))}: ${reason}; no file was changed`);
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
