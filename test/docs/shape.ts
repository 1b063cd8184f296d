import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "../helpers/action.js";

/** The folders whose code is held to the size rules (the doors and the engine). */
export const SHAPED = ["core", "cli", "bot", "actions"] as const;

export interface FunctionSpan {
  /** `file:name`, the name a function is known by (`name/anonymous` for a callback inside `name`). */
  id: string;
  file: string;
  name: string;
  start: number;
  end: number;
  lines: number;
}

/** Every .ts file below the shaped folders, relative to the repository, sorted. */
export async function shapedFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const folder of SHAPED) {
    const entries = await readdir(path.join(repoRoot, folder), { recursive: true });
    for (const entry of entries) {
      if (entry.endsWith(".ts") && !entry.split(path.sep).includes("node_modules")) {
        files.push(`${folder}/${entry.split(path.sep).join("/")}`);
      }
    }
  }
  return files.sort();
}

export async function readSource(file: string): Promise<string> {
  return readFile(path.join(repoRoot, file), "utf8");
}

/** Lines as `wc -l` counts them: a final newline ends the last line, it does not start another. */
export function lineCount(text: string): number {
  return text.endsWith("\n") ? text.split("\n").length - 1 : text.split("\n").length;
}

const KEYWORDS = new Set([
  "if",
  "for",
  "while",
  "switch",
  "catch",
  "with",
  "return",
  "await",
  "new",
  "typeof",
]);
const MODIFIERS =
  /^(?:(?:export|default|public|private|protected|static|async|override|readonly|get|set)\s+)*/;
/** `name(` or `name<T>(` opening a method or a function, after the modifiers. */
const METHOD = /^\*?([#\w$]+)\s*(?:<.*>)?\(/;
const DECLARED = /\bfunction\s*\*?\s*([\w$]*)/;
/** `const name = (` / `name: async (` / `name = x =>`: a function given a name where it is written. */
const ASSIGNED =
  /^(?:(?:export|declare)\s+)*(?:const|let|var)\s+([\w$]+)\s*(?::.*?)?=\s*(?:async\s*)?(?:<[^>]*>\s*)?(?:\(|[\w$]+\s*=>)|^([\w$]+)\s*[:=]\s*(?:async\s*)?(?:<[^>]*>\s*)?(?:\(|[\w$]+\s*=>)/;

/**
 * The functions of a file with a braced body, found the way biome lays code out: a body opens at the end of a
 * line and closes at the first later line of the same indentation that starts with `}`. A head written over
 * several lines (`): T {`) starts at the line above of the same indentation. Expression-bodied arrows are
 * passed over (they are one expression), and so is a type written as `(...) => {`, which this cannot tell
 * from code: a heuristic, held to its word by the tests in `shape.test.ts`.
 */
export function functionSpans(file: string, text: string): FunctionSpan[] {
  const lines = text.split("\n");
  const indent = (line: string) => line.length - line.trimStart().length;
  const spans: FunctionSpan[] = [];
  for (let open = 0; open < lines.length; open++) {
    const line = stripComment(lines[open]!);
    if (!line.endsWith("{")) continue;
    const depth = indent(line);
    let start = open;
    if (/^\)|^\}(?!\s*(?:else|catch|finally|while)\b).*\)/.test(line.trimStart())) {
      while (start > 0 && !(indent(lines[start - 1]!) === depth && lines[start - 1]!.trim() !== "")) start--;
      start = Math.max(0, start - 1);
    }
    const head = lines
      .slice(start, open + 1)
      .map((l) => l.trim())
      .join(" ");
    const name = functionName(head, line.trimEnd());
    if (name === undefined) continue;
    let close = open + 1;
    while (
      close < lines.length &&
      !(indent(lines[close]!) === depth && lines[close]!.trimStart().startsWith("}"))
    )
      close++;
    if (close >= lines.length) continue;
    spans.push({ id: "", file, name, start: start + 1, end: close + 1, lines: close - start + 1 });
  }
  // A callback is known by the nearest named function around it.
  for (const span of spans) {
    const outer = spans
      .filter((o) => o !== span && o.start <= span.start && o.end >= span.end && o.name !== "anonymous")
      .sort((a, b) => b.start - a.start)[0];
    const name = span.name === "anonymous" && outer ? `${outer.name}/anonymous` : span.name;
    span.name = name;
    span.id = `${file}:${name}`;
  }
  return spans;
}

/** The function's name when the head opens a function body, else undefined (a block, an object, a class). */
function functionName(head: string, openLine: string): string | undefined {
  if (/=>\s*\{$/.test(openLine)) {
    const assigned = ASSIGNED.exec(head.replace(MODIFIERS, ""));
    return assigned?.[1] ?? assigned?.[2] ?? "anonymous";
  }
  const declared = DECLARED.exec(head);
  if (declared && !/^\s*(?:type|interface)\b/.test(head)) {
    return (
      declared[1] ||
      (/^(?:(?:export|declare)\s+)*(?:const|let|var)\s+([\w$]+)/.exec(head)?.[1] ?? "anonymous")
    );
  }
  const method = METHOD.exec(head.replace(MODIFIERS, ""));
  if (method && !KEYWORDS.has(method[1]!) && /\)\s*(?::\s*.+)?\{$/.test(openLine.trim())) return method[1];
  return undefined;
}

function stripComment(line: string): string {
  const trimmed = line.trimEnd();
  const comment = trimmed.lastIndexOf(" // ");
  return comment >= 0 && !trimmed.slice(0, comment).includes('"')
    ? trimmed.slice(0, comment).trimEnd()
    : trimmed;
}
