import { distance } from "fastest-levenshtein";

/**
 * The candidates closest to a misspelt value: those fewest edits away, if that is within a
 * quarter of the value's length (at least 2), for "did you mean …?" hints.
 */
export function nearMatches(value: string, candidates: Iterable<string>, max = 3): string[] {
  const limit = Math.max(2, Math.floor(value.length / 4));
  const near = [...new Set(candidates)]
    .map((candidate) => ({ candidate, d: distance(value, candidate) }))
    .filter(({ d }) => d > 0 && d <= limit);
  const best = Math.min(...near.map(({ d }) => d));
  return near
    .filter(({ d }) => d === best)
    .map(({ candidate }) => candidate)
    .sort()
    .slice(0, max);
}

/** ` (did you mean "a" or "b"?)`, or nothing when no candidate is near. */
export function didYouMean(value: string, candidates: Iterable<string>): string {
  const near = nearMatches(value, candidates);
  return near.length ? ` (did you mean ${near.map((n) => JSON.stringify(n)).join(" or ")}?)` : "";
}
