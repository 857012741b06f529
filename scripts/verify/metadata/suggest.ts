/** "Did you mean" for misspelled names: the closest candidate, if it is close enough. */

/** Edit distance between two names, ignoring case (Salesforce names are case-insensitive). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1;
      current.push(
        Math.min(
          (previous[j] ?? 0) + 1,
          (current[j - 1] ?? 0) + 1,
          (previous[j - 1] ?? 0) + cost
        )
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** How many edits still count as a typo of a name: generous by default, as for XML elements. */
export type Tolerance = (name: string) => number;

const typoTolerance: Tolerance = (name) =>
  Math.max(2, Math.floor(name.length / 3));

/** The candidate nearest to name, or undefined when none is within a typo's reach. */
export function closestName(
  name: string,
  candidates: Iterable<string>,
  tolerance: Tolerance = typoTolerance
): string | undefined {
  let best: { name: string; score: number } | undefined;
  for (const candidate of candidates) {
    const score = distance(name, candidate);
    if (!best || score < best.score) best = { name: candidate, score };
  }
  return best && best.score <= tolerance(name) ? best.name : undefined;
}
