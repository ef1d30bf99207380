/** The closest candidate to a misspelt name, if one is close enough to be a likely typo. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/** ` (did you mean "x"?)` when a candidate is a likely typo of the name, or else nothing. */
export function typoHint(name: string, candidates: Iterable<string>): string {
  const guess = closest(name, candidates);
  return guess ? ` (did you mean "${guess}"?)` : "";
}

/** A likely typo's correction, or else the known names (for messages that do not list them). */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const list = [...candidates];
  const hint = typoHint(name, list);
  if (hint) return hint;
  return list.length ? ` (known: ${list.map((c) => `"${c}"`).join(", ")})` : "";
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}
