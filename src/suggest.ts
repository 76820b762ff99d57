// "Did you mean …?" for names the user mistyped: a flag (`--bukcet`), a codeartifact action. One
// rule everywhere: the closest known name by edit distance, when it is close enough to be the
// intended one (at most 2 edits, or a fifth of the name for long names).

import { distance } from 'fastest-levenshtein';

export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const known of candidates) {
    const d = distance(lower, known.toLowerCase());
    if (!best || d < best.d) best = { name: known, d };
  }
  return best && best.d <= Math.max(2, Math.floor(name.length / 5)) ? best.name : undefined;
}
