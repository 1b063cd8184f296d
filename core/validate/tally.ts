/**
 * Failures of one check on one column: how many, the first few lines, and the earliest example.
 * Plain data, so worker threads can hand it over by structured clone.
 */
export interface Tally {
  count: number;
  /** Ascending; at most maxErrors entries, always the smallest lines seen. */
  lines: number[];
  /** What the earliest failure found, phrased for a message. */
  example: string;
  /** Line of `example`; 0 before the first failure. */
  exampleLine: number;
}

export function newTally(): Tally {
  return { count: 0, lines: [], example: "", exampleLine: 0 };
}

/**
 * Counts a failure on `line`; returns true when it is the earliest so far, so the caller
 * phrases the example only then (no per-failure string building on long runs of bad rows).
 */
export function note(tally: Tally, line: number, max: number): boolean {
  tally.count++;
  keepLine(tally.lines, line, max);
  if (tally.exampleLine !== 0 && line >= tally.exampleLine) return false;
  tally.exampleLine = line;
  return true;
}

/** Keeps the `max` smallest lines, ascending; O(1) for the usual ascending arrival. */
export function keepLine(lines: number[], line: number, max: number): void {
  const n = lines.length;
  if (n === 0 || line > lines[n - 1]!) {
    if (n < max) lines.push(line);
    return;
  }
  if (n === max && line >= lines[n - 1]!) return;
  let at = n - 1;
  while (at > 0 && lines[at - 1]! > line) at--;
  lines.splice(at, 0, line);
  if (lines.length > max) lines.pop();
}

export function mergeTally(into: Tally, from: Tally, max: number): void {
  into.count += from.count;
  for (const line of from.lines) keepLine(into.lines, line, max);
  if (from.exampleLine !== 0 && (into.exampleLine === 0 || from.exampleLine < into.exampleLine)) {
    into.exampleLine = from.exampleLine;
    into.example = from.example;
  }
}

/** "age: 130 is above max 120 (line 7; 5 rows in all)". */
export function tallyMessage(tally: Tally, suffix = ""): string {
  const rows = tally.count > 1 ? `; ${tally.count} rows in all` : "";
  return `${tally.example} (line ${tally.exampleLine}${rows})${suffix}`;
}
