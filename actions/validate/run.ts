import { writeFile } from "node:fs/promises";
import path from "node:path";
import * as core from "@actions/core";
import { loadConfig, resolveFrom } from "../../core/config/index.js";
import { displayLocation } from "../../core/data/location.js";
import { loadDataSchema } from "../../core/data-schema/index.js";
import { renderValidationMarkdown } from "../../core/pipeline/render-validation.js";
import { type ValidationReport, validateData } from "../../core/pipeline/validate.js";
import { configInput, workspacePath } from "../project.js";
import {
  actionsLogger,
  failUnless,
  input,
  optionalString,
  positiveInt,
  runnerTemp,
  workspace,
} from "../runtime.js";

/** GitHub shows ten annotations of a kind per step; the job summary lists everything. */
const ANNOTATIONS_SHOWN = 10;

export async function validateAction(): Promise<number> {
  const cwd = workspace();
  const configFile = await configInput(cwd);
  const dataInput = input("data", optionalString);
  const loaded = dataInput ? undefined : await loadConfig(configFile, cwd);
  const rel = (p: string) => displayLocation(cwd, resolveFrom(loaded!.root, p));
  const data = loaded?.config.data;
  const locations = dataInput ? [dataInput] : [data!.train, ...(data?.test ? [data.test] : [])].map(rel);
  const schemaGiven = input("schema", optionalString);
  const schemaInput = schemaGiven
    ? await workspacePath("schema", schemaGiven, cwd)
    : data?.schema
      ? rel(data.schema)
      : undefined;
  const schema = schemaInput ? await loadDataSchema(schemaInput, cwd) : undefined;
  const maxErrors = input("max-errors", positiveInt(20));

  const results: ValidationReport[] = [];
  for (const location of locations) {
    const result = await core.group(`validate ${location}`, () =>
      validateData(location, {
        cwd,
        schema,
        target: input("target", optionalString) ?? data?.target,
        id: data?.id,
        maxErrors,
        missing: data?.missing,
        read: { delimiter: data?.delimiter },
        logger: actionsLogger,
      }),
    );
    results.push(result);
    annotate(result);
  }

  const summary = results.map(renderValidationMarkdown).join("\n");
  await core.summary.addRaw(summary).write();
  const reportFile = path.join(runnerTemp(cwd), "modelgate-validation.json");
  await writeFile(reportFile, JSON.stringify(results.length === 1 ? results[0] : results, null, 2));
  const passed = results.every((r) => r.ok);
  core.setOutput("passed", String(passed));
  core.setOutput("report", reportFile);
  core.setOutput(
    "errors",
    String(results.reduce((n, r) => n + r.errors.reduce((m, e) => m + e.count, 0), 0)),
  );
  core.setOutput("rows", String(results.reduce((n, r) => n + r.rows, 0)));
  core.setOutput("fingerprint", results.map((r) => r.fingerprint).join(","));
  if (!passed) core.setFailed(`data invalid: see the job summary for every problem`);
  return failUnless(passed);
}

function annotate(result: ValidationReport): void {
  let shown = 0;
  for (const error of result.errors) {
    for (const line of error.lines) {
      if (shown++ >= ANNOTATIONS_SHOWN) return;
      core.error(error.message, {
        title: `modelgate: ${error.check}${error.column ? ` (${error.column})` : ""}`,
        file: result.file,
        startLine: line,
      });
    }
  }
}
