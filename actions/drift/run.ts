import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import * as core from "@actions/core";
import { Octokit } from "octokit";
import { loadConfig } from "../../core/config/index.js";
import { renderDriftMarkdown } from "../../core/drift/index.js";
import { runDriftRequest } from "../../core/drift/request.js";
import { UserError } from "../../core/errors.js";
import { isAlert, monitorDrift, type Retrained } from "../../core/monitor/index.js";
import { workspacePath } from "../project.js";
import { actionsLogger, failUnless, workspace } from "../runtime.js";
import { driftInputs, repository } from "./inputs.js";
import { retrainFiles } from "./retrain.js";

export async function driftAction(): Promise<number> {
  const cwd = workspace();
  const inputs = driftInputs();
  const loaded = await loadConfig(await workspacePath("config", inputs.config, cwd), cwd).catch(
    (error: unknown) => {
      if (inputs.drift.reference || inputs.drift.model) return undefined;
      throw error;
    },
  );
  const result = await runDriftRequest(inputs.drift, {
    cwd,
    logger: actionsLogger,
    loaded,
    field: (option) => `with.${option}`,
  });
  const name = inputs.modelName ?? loaded?.config.name;
  const report = renderDriftMarkdown(result, `modelgate drift${name ? `: ${name}` : ""}`);
  await core.summary.addRaw(report).write();
  const reportFile = path.join(process.env.RUNNER_TEMP ?? cwd, "modelgate-drift.json");
  await writeFile(reportFile, `${JSON.stringify(result, null, 2)}\n`);
  core.setOutput("drift", String(result.drift));
  core.setOutput("share", String(result.share));
  core.setOutput("prediction-drift", String(result.prediction?.drift ?? false));
  core.setOutput("degraded", String(result.performance?.degraded ?? false));
  core.setOutput("report", reportFile);

  if (inputs.issue || inputs.retrain) {
    if (!name)
      throw new UserError("no model name: set model-name or keep a config with name", {
        field: "with.model-name",
      });
    if (!inputs.token)
      throw new UserError("no token: pass token (default github.token)", { field: "with.token" });
    const client = new Octokit({
      auth: inputs.token,
      baseUrl: process.env.GITHUB_API_URL ?? "https://api.github.com",
    });
    const base = inputs.base ?? (await defaultBranch());
    const train = async (): Promise<Retrained> => {
      if (!loaded) throw new UserError("retraining needs the project config", { field: "with.config" });
      return retrainFiles(loaded, {
        cwd,
        report,
        model: name,
        trainData: inputs.trainData,
        modelPath: inputs.modelPath,
      });
    };
    const outcome = await monitorDrift(result, {
      client,
      target: repository(process.env),
      model: name,
      report,
      issue: inputs.issue,
      ...(inputs.retrain ? { retrain: { base, train } } : {}),
      logger: actionsLogger,
    });
    if (outcome.issue?.url) core.setOutput("issue", outcome.issue.url);
    if (outcome.pull) core.setOutput("pull-request", outcome.pull.url);
  }
  const alert = isAlert(result);
  if (alert) core.setFailed(`drift detected: see the job summary`);
  return failUnless(!alert);
}

/** The repository's default branch from the event payload, else main. */
async function defaultBranch(): Promise<string> {
  const file = process.env.GITHUB_EVENT_PATH;
  if (!file) return "main";
  try {
    const event = JSON.parse(await readFile(file, "utf8")) as { repository?: { default_branch?: unknown } };
    const branch = event.repository?.default_branch;
    return typeof branch === "string" && branch.length > 0 ? branch : "main";
  } catch {
    return "main";
  }
}
