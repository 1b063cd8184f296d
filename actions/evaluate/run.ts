import { mkdir } from "node:fs/promises";
import path from "node:path";
import { DefaultArtifactClient } from "@actions/artifact";
import * as core from "@actions/core";
import { z } from "zod";
import { evaluateProject, writeReport } from "../../core/pipeline/evaluate.js";
import { renderMarkdown } from "../../core/report/index.js";
import { withBaseGates } from "../base-gates.js";
import { projectContext } from "../project.js";
import { actionBaseline } from "../registry.js";
import {
  actionsLogger,
  failUnless,
  input,
  onUnlessFalse,
  optionalString,
  runnerEnv,
  runnerTemp,
} from "../runtime.js";
import { dispatchedPullRequest } from "./dispatch.js";

export const REPORT_ARTIFACT = "modelgate-report";

export async function evaluateAction(): Promise<number> {
  const context = await projectContext();
  const { cwd, store, git } = context;
  const model = input("model", z.string({ message: "required: the folder the train step wrote" }).min(1));
  const pullRequest = await dispatchedPullRequest(runnerEnv(), git?.commit);
  // Gates, significance and registry come from the base commit's config, never from the one under test.
  const { loaded, note } = await withBaseGates(context.loaded, { cwd, logger: actionsLogger });
  const champion = await actionBaseline(loaded, cwd);
  const { report } = await evaluateProject(loaded, {
    cwd,
    modelDir: path.resolve(cwd, model),
    championDir: champion.dir,
    championLabel: champion.label,
    baseline: champion.baseline,
    data: input("data", optionalString),
    logger: actionsLogger,
    store,
    git,
  });
  // Downloaded later by the bot from other workflow runs: keep it out of the workspace.
  if (pullRequest) report.pullRequest = pullRequest;
  const dir = path.join(runnerTemp(cwd), REPORT_ARTIFACT);
  await mkdir(dir, { recursive: true });
  const files = await writeReport(path.join(dir, "report.json"), report);
  if (note) core.summary.addRaw(`> **${note}**\n\n`);
  await core.summary.addRaw(renderMarkdown(report, { maxChars: 60_000 })).write();

  if (input("upload", onUnlessFalse)) {
    const name = input("artifact-name", optionalString) ?? REPORT_ARTIFACT;
    const uploaded = await new DefaultArtifactClient().uploadArtifact(
      name,
      [files.json, files.markdown, files.html],
      dir,
      { retentionDays: 30 },
    );
    core.setOutput("artifact-id", String(uploaded.id ?? ""));
  }
  core.setOutput("passed", String(report.passed));
  core.setOutput("outcome", report.outcome ?? (report.passed ? "passed" : "failed"));
  core.setOutput("report", files.json);
  core.setOutput("metrics", JSON.stringify(report.metrics));
  if (!report.passed) {
    const failed = report.gates.filter((g) => !g.passed).map((g) => `${g.metric} ${g.rule}: ${g.reason}`);
    core.setFailed(
      `gate ${report.outcome === "inconclusive" ? "inconclusive" : "failed"}: ${failed.join("; ")}`,
    );
  }
  return failUnless(report.passed);
}
