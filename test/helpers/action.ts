import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "./temp.js";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/**
 * Runs a bundled action the way the runner does: `node dist/<name>.js` in the workspace, inputs as
 * INPUT_* variables, outputs and the job summary read back from the files the runner hands it.
 */
export async function runAction(
  name: string,
  inputs: Record<string, string>,
  options: { workspace: string; event?: unknown; env?: Record<string, string> },
): Promise<ActionRun> {
  const temp = await tempDir("mg-runner-");
  const files = {
    output: path.join(temp, "output"),
    summary: path.join(temp, "summary"),
    event: path.join(temp, "event.json"),
  };
  await writeFile(files.output, "");
  await writeFile(files.summary, "");
  await writeFile(files.event, JSON.stringify(options.event ?? {}));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? temp,
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_REPOSITORY: "octo-org/churn",
    RUNNER_TEMP: temp,
    ...options.env,
  };
  for (const [key, value] of Object.entries(inputs))
    env[`INPUT_${key.replace(/ /g, "_").toUpperCase()}`] = value;

  const child = spawn(process.execPath, [path.join(repoRoot, "dist", `${name}.js`)], {
    cwd: options.workspace,
    env,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? -1)));
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(await readFile(files.output, "utf8")),
    summary: await readFile(files.summary, "utf8"),
  };
}

/** GITHUB_OUTPUT holds `name<<DELIMITER\nvalue\nDELIMITER` blocks. */
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1]!] = match[3]!;
  return outputs;
}

/** The `::error file=...,line=...::message` annotations an action printed. */
export function annotations(
  stdout: string,
): Array<{ level: string; file?: string; line?: number; message: string }> {
  return [...stdout.matchAll(/^::(error|warning|notice)(?: ([^:]*))?::(.*)$/gm)].map((m) => {
    const props = Object.fromEntries(
      (m[2] ?? "")
        .split(",")
        .filter(Boolean)
        .map((p) => p.split("=") as [string, string]),
    );
    return {
      level: m[1]!,
      file: props.file,
      line: props.line ? Number(props.line) : undefined,
      message: decodeURIComponent(m[3]!.replace(/%25/g, "%")),
    };
  });
}
