/** How `check` and `migrate` print findings for people: `file:line:col  rule  message`, then what to do. */
import type { Finding } from "../analysis/rule.ts";

/**
 * One line a finding, and its `label:` line after it, or after the last of a run of findings that
 * share it: eight routing findings in one handler need their one fix said once.
 */
export function findingLines(findings: readonly Finding[], label: string, advice: (finding: Finding) => string = (f) => f.fix): string[] {
  return findings.map((f, i) => {
    const said = findings[i + 1] !== undefined && advice(findings[i + 1]!) === advice(f) && findings[i + 1]!.file === f.file;
    return `${f.file}:${f.line}:${f.column}  ${f.rule}  ${f.message}${said ? "" : `\n    ${label}: ${advice(f)}`}`;
  });
}
