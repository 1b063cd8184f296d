import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import * as core from "@actions/core";
import { z } from "zod";
import { fsError } from "../../core/errors.js";
import { parseReportText, renderHtml, renderMarkdown } from "../../core/report/index.js";
import { input, workspace } from "../runtime.js";

export async function reportAction(): Promise<number> {
  const cwd = workspace();
  const file = input(
    "report",
    z.string({ message: "required: the report.json the evaluate step wrote" }).min(1),
  );
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), "utf8");
  } catch (error) {
    throw fsError(error, file);
  }
  const report = parseReportText(text, file);
  const markdown = renderMarkdown(report);
  const base = path.resolve(cwd, file).replace(/\.json$/i, "");
  await writeFile(`${base}.md`, markdown);
  await writeFile(`${base}.html`, renderHtml(report));
  await core.summary.addRaw(markdown).write();
  core.setOutput("markdown", `${base}.md`);
  core.setOutput("html", `${base}.html`);
  core.setOutput("passed", String(report.passed));
  return 0;
}
